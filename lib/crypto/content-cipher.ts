import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

// Encryption at rest of message content (Item.content); see docs/security.md.
//
// Stored form:  enc:v1:<keyId>:<conversationId>:<iv b64>:<tag b64>:<ciphertext b64>
// - AES-256-GCM, a random 96-bit IV per value, the 128-bit tag; the header "enc:v1:<keyId>:<conversationId>" is the
//   additional authenticated data, so changing any part of it makes decryption fail.
// - The key is HKDF-SHA256(master key, salt, info = conversation id): one key per conversation. The conversation id
//   is the one the value was written under: a turn handed to a fork when its original is deleted, or copied on write,
//   keeps readable values without re-encryption.
// - keyId names the master key (a hash of it), so rotation knows which configured key opens a value.
// - Values without the prefix are plaintext (rows written before encryption was enabled) and are returned as they are.

const PREFIX = "enc:v1:";
const SALT = Buffer.from("forkline/content-encryption/v1", "utf8");
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const DERIVED_CACHE_LIMIT = 1_000;

export const KEY_FORMAT_HINT = "32 random bytes in base64 (44 characters), e.g. the output of `openssl rand -base64 32`";

/** Thrown when stored content cannot be decrypted: unknown key, wrong key, or a damaged value. Never garbage. */
export class ContentDecryptionError extends Error {
  readonly code = "content_undecryptable";
  override name = "ContentDecryptionError";

  constructor(
    message: string,
    /** "key_missing": a configuration problem for every row of that key; "damaged": this one value. */
    readonly kind: "key_missing" | "damaged" = "damaged",
  ) {
    super(message);
  }
}

/** Decodes a master key (base64 or base64url of exactly 32 bytes); throws an Error with a message naming `name`. */
export function parseMasterKey(value: string, name = "FORKLINE_ENCRYPTION_KEY"): Buffer {
  const text = value.trim();
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text.replaceAll("-", "+").replaceAll("_", "/"), "base64") : null;
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new Error(`${name} must be ${KEY_FORMAT_HINT}; got ${bytes ? `${bytes.length} bytes` : "something that is not base64"}`);
  }
  return bytes;
}

/** Splits a comma-separated list of master keys (FORKLINE_ENCRYPTION_KEYS_OLD). */
export function parseMasterKeys(value: string | undefined, name = "FORKLINE_ENCRYPTION_KEYS_OLD"): Buffer[] {
  return (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => parseMasterKey(part, `${name} (key ${index + 1})`));
}

/** A short public name of a master key: the first 16 hex digits of a SHA-256 of it. */
export function keyIdOf(masterKey: Buffer): string {
  return createHash("sha256").update("forkline key id\0").update(masterKey).digest("hex").slice(0, 16);
}

interface Envelope {
  keyId: string;
  context: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses the stored form; null for anything that is not one (plaintext). */
function parseEnvelope(stored: string): Envelope | null {
  if (!stored.startsWith(PREFIX)) return null;
  const parts = stored.split(":");
  if (parts.length < 7) return null;
  const keyId = parts[2]!;
  const [iv, tag, ciphertext] = parts.slice(-3) as [string, string, string];
  const context = parts.slice(3, -3).join(":");
  if (!/^[0-9a-f]{16}$/.test(keyId) || !context || ![iv, tag, ciphertext].every((field) => B64.test(field))) return null;
  const envelope = { keyId, context, iv: Buffer.from(iv, "base64"), tag: Buffer.from(tag, "base64"), ciphertext: Buffer.from(ciphertext, "base64") };
  return envelope.iv.length === IV_BYTES && envelope.tag.length === TAG_BYTES ? envelope : null;
}

/** True when a stored value is in the encrypted form. */
export function isEncrypted(stored: string): boolean {
  return parseEnvelope(stored) !== null;
}

/**
 * Encrypts with the current master key and decrypts with it or any old one. Without a current key it writes
 * plaintext (and still reads values of the old keys: that is how encryption is turned off, see scripts/reencrypt.ts).
 */
export class ContentCipher {
  readonly #keys = new Map<string, Buffer>();
  readonly #derived = new Map<string, Buffer>();
  /** The key new values are written with; null = write plaintext. */
  readonly writeKeyId: string | null;

  constructor(options: { current?: Buffer | null; old?: Buffer[] }) {
    this.writeKeyId = options.current ? keyIdOf(options.current) : null;
    for (const key of [...(options.old ?? []), ...(options.current ? [options.current] : [])]) this.#keys.set(keyIdOf(key), key);
  }

  /** Ids of every key this cipher can read with. */
  get readKeyIds(): string[] {
    return [...this.#keys.keys()];
  }

  #key(keyId: string, context: string): Buffer {
    const cacheKey = `${keyId}\0${context}`;
    let key = this.#derived.get(cacheKey);
    if (!key) {
      const master = this.#keys.get(keyId);
      if (!master) {
        throw new ContentDecryptionError(
          `Stored message content was encrypted with key ${keyId}, which is not configured. ` +
            "Set FORKLINE_ENCRYPTION_KEY to it, or add it to FORKLINE_ENCRYPTION_KEYS_OLD.",
          "key_missing",
        );
      }
      key = Buffer.from(hkdfSync("sha256", master, SALT, Buffer.from(context, "utf8"), KEY_BYTES));
      if (this.#derived.size >= DERIVED_CACHE_LIMIT) this.#derived.delete(this.#derived.keys().next().value!);
      this.#derived.set(cacheKey, key);
    }
    return key;
  }

  /** The stored form of `plain` for a conversation: encrypted with the current key, or unchanged without one. */
  encrypt(plain: string, conversationId: string): string {
    if (!this.writeKeyId) return plain;
    const header = `${PREFIX}${this.writeKeyId}:${conversationId}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key(this.writeKeyId, conversationId), iv);
    cipher.setAAD(Buffer.from(header, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `${header}:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${ciphertext.toString("base64")}`;
  }

  /** The plaintext of a stored value; plaintext values are returned unchanged. */
  decrypt(stored: string): string {
    const envelope = parseEnvelope(stored);
    if (!envelope) return stored;
    const key = this.#key(envelope.keyId, envelope.context);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, envelope.iv);
      decipher.setAAD(Buffer.from(`${PREFIX}${envelope.keyId}:${envelope.context}`, "utf8"));
      decipher.setAuthTag(envelope.tag);
      return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString("utf8");
    } catch {
      throw new ContentDecryptionError(
        `Stored message content (key ${envelope.keyId}) failed its integrity check: it was changed or damaged in the database.`,
      );
    }
  }

  /** True when a stored value should be rewritten to match the current key (rotation, enabling, disabling). */
  needsRewrite(stored: string): boolean {
    const envelope = parseEnvelope(stored);
    return envelope ? envelope.keyId !== this.writeKeyId : this.writeKeyId !== null;
  }
}

/** A cipher that stores plaintext and reads only plaintext: what runs when no key is configured. */
const PLAINTEXT = new ContentCipher({});

let configured: { source: string; cipher: ContentCipher } | undefined;

/**
 * The cipher for FORKLINE_ENCRYPTION_KEY / FORKLINE_ENCRYPTION_KEYS_OLD, read from the environment (re-read when they
 * change, so tests can switch keys). lib/env.ts validates the same variables at start with the same messages.
 */
export function configuredCipher(environment: NodeJS.ProcessEnv = process.env): ContentCipher {
  const current = environment.FORKLINE_ENCRYPTION_KEY?.trim() ?? "";
  const old = environment.FORKLINE_ENCRYPTION_KEYS_OLD?.trim() ?? "";
  if (!current && !old) return PLAINTEXT;
  const source = `${current}|${old}`;
  if (configured?.source !== source) {
    configured = { source, cipher: new ContentCipher({ current: current ? parseMasterKey(current) : null, old: parseMasterKeys(old) }) };
  }
  return configured.cipher;
}
