import { createHash } from "node:crypto";
import { inputItems, isRecord, textOf } from "./content";
import type { Exchange } from "./exchange";
import { sendError, sendJson } from "./http";
import { newId, nowSeconds } from "./ids";
import type { PlannedUsage } from "./plan";
import { compactionItem, responsesUsage } from "./responses-objects";
import { parseScript, ScriptError, type ScriptedUsage } from "./script";

type Item = Record<string, unknown>;

/** What `POST /v1/responses/compact` reports unless the last user message carries `[[compact-usage:…]]`. */
export const FAKE_COMPACT_USAGE: Readonly<PlannedUsage> = Object.freeze({
  input: 500,
  cached: 0,
  output: 50,
  reasoning: 0,
  total: 550,
});

/** The deterministic `encrypted_content` the fake gives a compaction of `input`: item count and digest. */
export function fakeEncryptedContent(input: unknown): string {
  const items = inputItems(input);
  const digest = createHash("sha256").update(JSON.stringify(input ?? null)).digest("hex").slice(0, 16);
  return `fake-compaction:${items.length}:${digest}`;
}

function isUserMessage(item: unknown): item is Item {
  return isRecord(item) && item.role === "user" && (item.type === undefined || item.type === "message");
}

function userContent(content: unknown): unknown[] {
  if (typeof content === "string") return [{ type: "input_text", text: content }];
  return Array.isArray(content) ? content : [];
}

/** A user message of the input as the compacted window retains it (the real API keeps every user message). */
function retainedUserMessage(item: Item): Item {
  const id = typeof item.id === "string" ? item.id : newId("msg_");
  return { id, type: "message", status: "completed", role: "user", content: userContent(item.content) };
}

function plannedUsage(scripted: ScriptedUsage | undefined): PlannedUsage {
  const input = scripted?.input ?? FAKE_COMPACT_USAGE.input;
  const output = scripted?.output ?? FAKE_COMPACT_USAGE.output;
  return {
    input,
    cached: scripted?.cached ?? FAKE_COMPACT_USAGE.cached,
    output,
    reasoning: scripted?.reasoning ?? FAKE_COMPACT_USAGE.reasoning,
    total: input + output,
  };
}

/**
 * Answers `POST /v1/responses/compact` like OpenAI: a `response.compaction` whose output is every user message of
 * the input, then one compaction item. With only `previous_response_id` (the fake stores no responses) the output
 * is the compaction item alone.
 */
export async function handleCompact(exchange: Exchange): Promise<void> {
  const { body, res } = exchange;
  const items = inputItems(body.input);
  let usage: ScriptedUsage | undefined;
  try {
    usage = parseScript(textOf(items.filter(isUserMessage).at(-1)?.content)).compactUsage;
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    sendError(res, 400, error.message, { code: "invalid_script" });
    return;
  }
  const source = body.input ?? { previous_response_id: body.previous_response_id ?? null };
  sendJson(res, 200, {
    id: newId("resp_"),
    object: "response.compaction",
    created_at: nowSeconds(),
    output: [...items.filter(isUserMessage).map(retainedUserMessage), compactionItem(newId("cmp_"), fakeEncryptedContent(source))],
    usage: responsesUsage(plannedUsage(usage)),
  });
}
