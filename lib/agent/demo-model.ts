import type { AgentOutputItem, Model, ModelRequest, ModelResponse, StreamEvent } from "@openai/agents";
import { Usage } from "@openai/agents";
import { env } from "@/lib/env";
import { countTokens } from "./token-count";

type Loose = Record<string, unknown>;

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(textOf).join("");
  if (value && typeof value === "object") {
    const loose = value as Loose;
    if (typeof loose.text === "string") return loose.text;
    if ("content" in loose) return textOf(loose.content);
    if ("output" in loose) return textOf(loose.output);
  }
  return "";
}

function lastUserText(input: ModelRequest["input"]): string {
  if (typeof input === "string") return input;
  for (let index = input.length - 1; index >= 0; index -= 1) {
    const item = input[index] as unknown as Loose;
    if (item.role === "user") return textOf(item.content);
  }
  return "";
}

/** The demo reply: deterministic, and clear that no real model answered. */
export function demoReply(userText: string, turnCount: number): string {
  const quoted = userText.trim().split("\n")[0]?.slice(0, 200) || "(an empty message)";
  return [
    `**Demo model** — this is Forkline's offline demo, not a real AI. You said: "${quoted}".`,
    "",
    `This conversation has ${turnCount} message${turnCount === 1 ? "" : "s"} from you so far. To talk to a real model, set \`OPENAI_API_KEY\` (or \`OPENAI_BASE_URL\` for Ollama, vLLM, LM Studio or llama.cpp) and restart.`,
  ].join("\n");
}

function abortError(): Error {
  const error = new Error("The operation was aborted");
  error.name = "AbortError";
  return error;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** An offline, deterministic model with real token counts and a price of zero. */
export class DemoModel implements Model {
  #respond(request: ModelRequest): { text: string; usage: Usage; output: AgentOutputItem[] } {
    const input = typeof request.input === "string" ? [request.input] : request.input.map(textOf);
    const turnCount = typeof request.input === "string" ? 1 : request.input.filter((item) => (item as unknown as Loose).role === "user").length;
    const text = demoReply(lastUserText(request.input), turnCount);
    const inputTokens = countTokens([request.systemInstructions ?? "", ...input].join("\n"));
    const outputTokens = countTokens(text);
    const usage = new Usage({ requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });
    const output = [
      { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text }] },
    ] as AgentOutputItem[];
    return { text, usage, output };
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const { usage, output } = this.#respond(request);
    return { usage, output, responseId: `demo_${Date.now()}` };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const { text, usage, output } = this.#respond(request);
    const delay = env().FORKLINE_DEMO_DELAY_MS;
    yield { type: "response_started" };
    for (const piece of text.match(/\S+\s*|\s+/g) ?? []) {
      await sleep(delay, request.signal);
      yield { type: "output_text_delta", delta: piece };
    }
    yield {
      type: "response_done",
      response: {
        id: `demo_${Date.now()}`,
        usage: { requests: 1, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens },
        output,
      },
    } as StreamEvent;
  }
}
