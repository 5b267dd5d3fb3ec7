import type { AgentInputItem } from "@openai/agents";
import { encode } from "gpt-tokenizer";
import { itemText } from "@/lib/session/item-meta";

/** Token count of a text with the o200k tokenizer (used when a server reports no usage, and by the demo model). */
export function countTokens(text: string): number {
  return text ? encode(text).length : 0;
}

/** Tokens of one model call's input: the instructions and each item's text (its JSON when it has none), one per line. */
export function countInputTokens(instructions: string, items: readonly AgentInputItem[]): number {
  return countTokens([instructions, ...items.map((item) => itemText(item) || JSON.stringify(item))].join("\n"));
}
