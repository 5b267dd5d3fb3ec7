import type { AgentInputItem } from "@openai/agents";
import { ContentDecryptionError, type ContentCipher } from "@/lib/crypto/content-cipher";
import type { ItemRow, NewItem } from "@/lib/db/session";
import { itemMeta } from "./item-meta";
import { isAgentItem } from "./item-schema";
import { toolKey } from "./tool-usage";

/**
 * Stored values (ciphertext or plaintext, as read) already validated: a history is re-read on every turn, and the
 * schema check is most of the cost of decoding an item. Bounded by the characters it holds; oldest forgotten first.
 */
const knownGood = new Set<string>();
const KNOWN_GOOD_MAX_CHARS = 8_000_000;
let knownGoodChars = 0;

function remember(stored: string): void {
  if (stored.length > KNOWN_GOOD_MAX_CHARS / 100 || knownGood.has(stored)) return;
  knownGood.add(stored);
  knownGoodChars += stored.length;
  for (const oldest of knownGood) {
    if (knownGoodChars <= KNOWN_GOOD_MAX_CHARS) break;
    knownGood.delete(oldest);
    knownGoodChars -= oldest.length;
  }
}

/** A stored item read back: the item, or why it could not be read. */
export type DecodedItem = { ok: true; item: AgentInputItem } | { ok: false; reason: string };

function reasonOf(error: unknown): string {
  if (error instanceof SyntaxError) return "its JSON is damaged";
  const code = (error as { code?: unknown })?.code;
  if (code === "content_undecryptable") return "it failed its integrity check (changed or damaged in the database)";
  return error instanceof Error ? error.message : String(error);
}

/**
 * Seals items for storage (JSON, encrypted under the conversation's key when encryption is on) and opens them
 * again, validating each against the Agents SDK's item schema: a damaged row reads as `{ ok: false }`, never as
 * garbage and never as a thrown SyntaxError.
 */
export class ItemCodec {
  constructor(
    readonly cipher: ContentCipher,
    readonly conversationId: string,
  ) {}

  /** The columns to store for an item. */
  encode(item: AgentInputItem): NewItem {
    const meta = itemMeta(item);
    return { type: meta.type, role: meta.role, toolName: toolKey(item) ?? meta.toolName, callId: meta.callId, content: this.sealText(JSON.stringify(item)) };
  }

  decode(row: Pick<ItemRow, "content">): DecodedItem {
    let value: unknown;
    try {
      value = JSON.parse(this.cipher.decrypt(row.content));
      // A stored value that passed the schema before passes again: validity is a function of the stored text.
      if (knownGood.has(row.content)) return { ok: true, item: value as AgentInputItem };
    } catch (error) {
      // A key that is not configured is a setup problem for every row it wrote: fail loudly, never a history with holes.
      if (error instanceof ContentDecryptionError && error.kind === "key_missing") throw error;
      return { ok: false, reason: reasonOf(error) };
    }
    // The schema strips unknown fields; the stored object is returned whole, the schema only vouches for it.
    if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, reason: `it is not an item (${JSON.stringify(value)?.slice(0, 40)})` };
    if (!isAgentItem(value)) return { ok: false, reason: "it does not match the Agents SDK item schema" };
    remember(row.content);
    return { ok: true, item: value as AgentInputItem };
  }

  sealText(plain: string): string {
    return this.cipher.encrypt(plain, this.conversationId);
  }

  openText(stored: string): string {
    return this.cipher.decrypt(stored);
  }
}
