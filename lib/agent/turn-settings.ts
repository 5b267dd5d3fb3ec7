import type { TurnSettings } from "@/lib/session/turn-lifecycle";
import { modelCatalog } from "./model-catalog";

/** The instructions a turn runs with when neither the conversation nor the user sets a system prompt. */
export const AGENT_INSTRUCTIONS =
  "You are Forkline's assistant. Answer clearly and concisely in Markdown. " +
  "Use the calculator tool for arithmetic and the current_time tool for the date or time.";

/** The settings that decide a new turn (a user's saved preferences and the conversation's override). */
export interface SettingsInForce {
  conversationSystemPrompt: string | null;
  userSystemPrompt: string | null;
  temperature: number | null;
  maxOutputTokens: number | null;
}

/** What a new turn is sent: the conversation's system prompt, else the user's, else the built-in instructions. */
export function resolveTurnSettings(current: SettingsInForce): TurnSettings {
  return {
    instructions: current.conversationSystemPrompt ?? current.userSystemPrompt ?? AGENT_INSTRUCTIONS,
    temperature: current.temperature,
    maxOutputTokens: current.maxOutputTokens,
  };
}

/** What a regenerated turn is sent: exactly what the original was (turns stored before settings ran with the built-in instructions). */
export function replayTurnSettings(recorded: TurnSettings | null): TurnSettings {
  return {
    instructions: recorded?.instructions ?? AGENT_INSTRUCTIONS,
    temperature: recorded?.temperature ?? null,
    maxOutputTokens: recorded?.maxOutputTokens ?? null,
  };
}

/** The model of a turn: the requested one (null if not offered), else the user's default while offered, else the catalog's. */
export function resolveTurnModel(requested: string | undefined, userDefault: string | null): string | null {
  const catalog = modelCatalog();
  const offered = (id: string) => catalog.models.some((model) => model.id === id);
  if (requested !== undefined) return offered(requested) ? requested : null;
  return userDefault && offered(userDefault) ? userDefault : catalog.defaultModel;
}
