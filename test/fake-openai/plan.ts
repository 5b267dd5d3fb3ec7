import { createHash } from "node:crypto";
import { encode } from "gpt-tokenizer";
import type { Script } from "./script";

export type PlannedUsage = {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  total: number;
};

export type PlannedTextReply = { kind: "text"; text: string; chunks: string[] };

export type PlannedToolCall = { kind: "tool"; callId: string; name: string; arguments: string };

export type Plan = {
  reply: PlannedTextReply | PlannedToolCall;
  reasoning?: string;
  usage: PlannedUsage | null;
};

export type Conversation = {
  lastUserText: string;
  inputText: string;
  lastToolOutput?: string;
};

/** Counts whitespace-separated words, the fake's stand-in for tokens. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Counts o200k tokens (gpt-tokenizer), what `[[count-tokens]]` reports as input. */
export function countO200kTokens(text: string): number {
  return text ? encode(text).length : 0;
}

/** Splits a reply into one-word chunks whose concatenation is exactly the reply. */
export function chunkWords(text: string): string[] {
  const chunks = text.match(/\s*\S+/g) ?? [];
  const trailing = text.slice(chunks.join("").length);
  if (chunks.length === 0) return trailing ? [trailing] : [];
  chunks[chunks.length - 1] += trailing;
  return chunks;
}

function callId(conversation: Conversation, name: string, args: string): string {
  const digest = createHash("sha256").update(`${conversation.lastUserText}\n${name}\n${args}`).digest("hex");
  return `call_${digest.slice(0, 12)}`;
}

function chooseReply(script: Script, conversation: Conversation): Plan["reply"] {
  const { tool } = script;
  if (tool && conversation.lastToolOutput === undefined) {
    return { kind: "tool", callId: callId(conversation, tool.name, tool.arguments), name: tool.name, arguments: tool.arguments };
  }
  const text =
    script.reply ?? (tool ? `Tool said: ${conversation.lastToolOutput ?? ""}` : `Echo: ${script.text}`);
  return { kind: "text", text, chunks: chunkWords(text) };
}

function planUsage(script: Script, conversation: Conversation, reply: Plan["reply"]): PlannedUsage | null {
  if (script.noUsage) return null;
  const replyWords = countWords(reply.kind === "text" ? reply.text : reply.arguments);
  const input = script.usage.input ?? (script.countTokens ? countO200kTokens(conversation.inputText) : countWords(conversation.inputText));
  const output = script.usage.output ?? replyWords;
  return {
    input,
    cached: script.usage.cached ?? 0,
    output,
    reasoning: script.usage.reasoning ?? 0,
    total: input + output,
  };
}

/** Decides what the fake model answers to a request, given its script and conversation. */
export function planReply(script: Script, conversation: Conversation): Plan {
  const reply = chooseReply(script, conversation);
  return {
    reply,
    ...(script.reasoning !== undefined ? { reasoning: script.reasoning } : {}),
    usage: planUsage(script, conversation, reply),
  };
}
