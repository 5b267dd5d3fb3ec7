import { encode } from "gpt-tokenizer";

/** Token count of a text with the o200k tokenizer (used when a server reports no usage, and by the demo model). */
export function countTokens(text: string): number {
  return text ? encode(text).length : 0;
}
