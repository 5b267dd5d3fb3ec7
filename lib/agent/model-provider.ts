import { OpenAIChatCompletionsModel, OpenAIResponsesModel, setTracingDisabled, type Model } from "@openai/agents";
import OpenAI from "openai";
import { env } from "@/lib/env";
import { DemoModel, } from "./demo-model";
import { DEMO_MODEL_ID } from "./model-catalog";

setTracingDisabled(true);

let client: OpenAI | undefined;

/** The OpenAI client for the configured endpoint (OpenAI or any compatible server). */
export function openaiClient(): OpenAI {
  const settings = env();
  client ??= new OpenAI({
    apiKey: settings.OPENAI_API_KEY ?? "not-needed",
    baseURL: settings.OPENAI_BASE_URL,
    timeout: settings.FORKLINE_MODEL_TIMEOUT_MS,
    maxRetries: settings.FORKLINE_MODEL_MAX_RETRIES,
    logLevel: "off",
  });
  return client;
}

/** Forgets the cached client (tests point it at a new fake server). */
export function resetModelProviderForTests(): void {
  client = undefined;
}

/** The Agents SDK model for an id: the demo model, or Responses / Chat Completions per OPENAI_API_MODE. */
export function modelFor(modelId: string): Model {
  if (modelId === DEMO_MODEL_ID) return new DemoModel();
  return env().OPENAI_API_MODE === "chat_completions"
    ? new OpenAIChatCompletionsModel(openaiClient(), modelId)
    : new OpenAIResponsesModel(openaiClient(), modelId);
}
