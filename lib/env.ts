import proxyaddr from "proxy-addr";
import { z } from "zod";
import { parseMasterKey, parseMasterKeys } from "@/lib/crypto/content-cipher";
import { DbBusyTimeoutMs } from "@/lib/db/busy-budget";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A setting checked with a parser that throws an Error whose message says what is wrong. */
const checkedWith = (check: (value: string) => unknown) =>
  optionalString.superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      check(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

/** Every setting Forkline reads from the environment, validated once. */
export const Env = z.object({
  NODE_ENV: optionalString,
  DATABASE_URL: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url({ message: "OPENAI_BASE_URL must be a URL such as http://localhost:11434/v1" }).optional()),
  OPENAI_API_MODE: z.enum(["responses", "chat_completions"], { message: 'OPENAI_API_MODE must be "responses" or "chat_completions"' }).default("responses"),
  FORKLINE_MODELS: optionalString,
  FORKLINE_TITLE_MODEL: optionalString,
  FORKLINE_TITLES: z.enum(["model", "heuristic"], { message: 'FORKLINE_TITLES must be "model" or "heuristic"' }).default("model"),
  FORKLINE_PRICES_FILE: optionalString,
  FORKLINE_HISTORY_LIMIT: z.coerce.number().int().nonnegative().optional(),
  FORKLINE_MAX_MESSAGE_CHARS: positiveInt(32_000),
  /** Longest reply text a turn keeps; past it the model request is aborted and the turn ends `reply_capped`. */
  FORKLINE_MAX_REPLY_CHARS: positiveInt(100_000),
  /**
   * Max output tokens sent with a request when the turn sets none (unset: derived from FORKLINE_MAX_REPLY_CHARS, 0: none
   * sent, for providers that refuse the field; lib/agent/reply-cap.ts).
   */
  FORKLINE_MAX_OUTPUT_TOKENS: optionalString.pipe(
    z.coerce.number<string>({ message: "FORKLINE_MAX_OUTPUT_TOKENS must be a number of tokens" }).int().min(0, { message: "FORKLINE_MAX_OUTPUT_TOKENS must be 0 or more" }).optional(),
  ),
  FORKLINE_MODEL_TIMEOUT_MS: positiveInt(120_000),
  FORKLINE_MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  FORKLINE_MAX_AGENT_STEPS: positiveInt(8),
  FORKLINE_DEMO_DELAY_MS: z.coerce.number().int().min(0).default(12),
  FORKLINE_STALE_TURN_MS: positiveInt(30_000),
  /** Master key for encrypting message content at rest (off when unset); see docs/security.md. */
  FORKLINE_ENCRYPTION_KEY: checkedWith((value) => parseMasterKey(value)),
  /** Earlier master keys, comma-separated, still accepted for reading (rotation). */
  FORKLINE_ENCRYPTION_KEYS_OLD: checkedWith((value) => parseMasterKeys(value)),
  /** Conversations not updated for this many days are deleted (unset = kept forever). */
  FORKLINE_RETENTION_DAYS: optionalString.pipe(
    z.coerce
      .number<string>({ message: "FORKLINE_RETENTION_DAYS must be a number of days" })
      .positive({ message: "FORKLINE_RETENTION_DAYS must be more than 0 (unset it to keep conversations forever)" })
      .optional(),
  ),
  FORKLINE_AUTH_SECRET: optionalString.pipe(z.string().min(32, "FORKLINE_AUTH_SECRET must be at least 32 characters").optional()),
  FORKLINE_PUBLIC_URL: optionalString.pipe(z.url({ message: "FORKLINE_PUBLIC_URL must be the app's public URL, e.g. https://chat.example.com" }).optional()),
  /**
   * Which reverse proxies may speak for the client (`X-Forwarded-For` / `-Proto` / `-Host`): `1` the peer in front,
   * or a list of addresses / CIDR ranges; `npm start`'s server (scripts/server.mjs) drops those headers from anyone
   * else. Parsed here as "is a proxy trusted at all" (the server applies the list).
   */
  FORKLINE_TRUST_PROXY: optionalString
    .superRefine((value, ctx) => {
      if (value === undefined || /^(0|1|true|false)$/i.test(value)) return;
      try {
        proxyaddr.compile(value.split(",").map((entry) => entry.trim()).filter(Boolean));
      } catch {
        ctx.addIssue({ code: "custom", message: 'FORKLINE_TRUST_PROXY must be "1", "0" or a list of proxy addresses / CIDR ranges such as "127.0.0.1,10.0.0.0/8"' });
      }
    })
    .transform((value) => value !== undefined && !/^(0|false)$/i.test(value)),
  /** Better Auth's per-address limits on auth endpoints: on/off (unset = on when NODE_ENV is production). */
  FORKLINE_AUTH_RATE_LIMIT: optionalString
    .pipe(z.enum(["on", "off", "1", "0", "true", "false"], { message: 'FORKLINE_AUTH_RATE_LIMIT must be "on" or "off"' }).optional())
    .transform((value) => (value === undefined ? undefined : ["on", "1", "true"].includes(value))),
  FORKLINE_TURNS_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  /** Guests one client address may create per hour (0 = no limit); docs/security.md#anonymous-floods. */
  FORKLINE_GUESTS_PER_HOUR: z.coerce.number().int().min(0).default(20),
  /** Turns all guests of one client address may start per minute together (0 = no limit). */
  FORKLINE_GUEST_TURNS_PER_MINUTE: z.coerce.number().int().min(0).default(40),
  /** Dollars the guests of one client address may spend on models per 24 hours together (0 = no cap). */
  FORKLINE_GUEST_DAILY_SPEND_USD: z.coerce.number({ message: "FORKLINE_GUEST_DAILY_SPEND_USD must be an amount in dollars such as 1 or 0.5" }).min(0).default(1),
  FORKLINE_DB_BUSY_TIMEOUT_MS: DbBusyTimeoutMs,
});
export type Env = z.infer<typeof Env>;

let parsed: Env | undefined;

/** Thrown at start with one line per bad setting. */
export class EnvError extends Error {}

/** The validated environment (parsed on first use, then cached). */
export function env(): Env {
  if (parsed) return parsed;
  const result = Env.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid Forkline configuration:\n${lines.join("\n")}`);
  }
  parsed = result.data;
  return parsed;
}

/** Forgets the cached environment (tests change process.env between cases). */
export function resetEnvForTests(): void {
  parsed = undefined;
}
