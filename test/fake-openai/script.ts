export type ScriptedUsage = {
  input?: number;
  cached?: number;
  output?: number;
  reasoning?: number;
};

export type ScriptedError = { status: number; once: boolean };

export type ScriptedTool = { name: string; arguments: string };

/** A compaction item the reply's output starts with; without `encryptedContent` it is derived from the input. */
export type ScriptedCompaction = { encryptedContent?: string };

export type Script = {
  text: string;
  reply?: string;
  delayMs: number;
  firstDelayMs: number;
  error?: ScriptedError;
  retryAfter?: string;
  cut?: number;
  /** Repeat the reply's words forever (at least 1 ms apart) until the client closes the connection. */
  endless: boolean;
  malformed: boolean;
  usage: ScriptedUsage;
  noUsage: boolean;
  /** Report input tokens as the o200k token count of the input instead of its words. */
  countTokens: boolean;
  tool?: ScriptedTool;
  reasoning?: string;
  compaction?: ScriptedCompaction;
  compactUsage?: ScriptedUsage;
};

export class ScriptError extends Error {
  override name = "ScriptError";
}

const MARKER = /\[\[([a-z][a-z-]*)(?::([\s\S]*?))?\]\]/g;

const USAGE_KEYS: Record<string, keyof ScriptedUsage> = {
  in: "input",
  cached: "cached",
  out: "output",
  reasoning: "reasoning",
};

function invalid(marker: string, why: string): never {
  throw new ScriptError(`Invalid scripting marker ${marker}: ${why}`);
}

function nonNegativeInt(marker: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) invalid(marker, "expected a non-negative integer");
  return Number(value.trim());
}

function required(marker: string, value: string | undefined): string {
  if (value === undefined || value === "") invalid(marker, "expected a value");
  return value;
}

function httpStatus(marker: string, value: string | undefined): number {
  const status = nonNegativeInt(marker, value);
  if (status < 400 || status > 599) invalid(marker, "expected an HTTP error status (400-599)");
  return status;
}

function parseUsage(marker: string, value: string | undefined): ScriptedUsage {
  const usage: ScriptedUsage = {};
  for (const pair of required(marker, value).split(",")) {
    const [key = "", amount] = pair.split("=").map((part) => part.trim());
    const field = USAGE_KEYS[key];
    if (!field) invalid(marker, `unknown usage key "${key}" (use in, cached, out, reasoning)`);
    usage[field] = nonNegativeInt(marker, amount);
  }
  return usage;
}

function parseTool(marker: string, value: string | undefined): ScriptedTool {
  const raw = required(marker, value);
  const colon = raw.indexOf(":");
  const name = colon === -1 ? raw : raw.slice(0, colon);
  const args = colon === -1 ? "{}" : raw.slice(colon + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) invalid(marker, "expected a tool name of letters, digits, _ or -");
  try {
    JSON.parse(args);
  } catch {
    invalid(marker, "tool arguments are not valid JSON");
  }
  return { name, arguments: args };
}

function apply(script: Script, marker: string, name: string, value: string | undefined): void {
  switch (name) {
    case "reply":
      script.reply = value ?? "";
      return;
    case "delay":
      script.delayMs = nonNegativeInt(marker, value);
      return;
    case "first-delay":
      script.firstDelayMs = nonNegativeInt(marker, value);
      return;
    case "error":
      script.error = { status: httpStatus(marker, value), once: false };
      return;
    case "error-once":
      script.error = { status: httpStatus(marker, value), once: true };
      return;
    case "retry-after":
      script.retryAfter = String(nonNegativeInt(marker, value));
      return;
    case "cut":
      script.cut = nonNegativeInt(marker, value);
      return;
    case "malformed":
      script.malformed = true;
      return;
    case "endless":
      script.endless = true;
      return;
    case "usage":
      script.usage = { ...script.usage, ...parseUsage(marker, value) };
      return;
    case "no-usage":
      script.noUsage = true;
      return;
    case "count-tokens":
      script.countTokens = true;
      return;
    case "tool":
      script.tool = parseTool(marker, value);
      return;
    case "reasoning":
      script.reasoning = required(marker, value);
      return;
    case "compaction":
      script.compaction = value === undefined ? {} : { encryptedContent: required(marker, value) };
      return;
    case "compact-usage":
      script.compactUsage = { ...script.compactUsage, ...parseUsage(marker, value) };
      return;
    default:
      invalid(marker, `unknown marker "${name}"`);
  }
}

/** Reads the `[[name]]` / `[[name:value]]` scripting markers of a user message; throws ScriptError on a bad marker. */
export function parseScript(text: string): Script {
  const script: Script = { text: "", delayMs: 0, firstDelayMs: 0, endless: false, malformed: false, usage: {}, noUsage: false, countTokens: false };
  for (const match of text.matchAll(MARKER)) {
    apply(script, match[0], match[1] ?? "", match[2]);
  }
  script.text = text.replace(MARKER, "").trim();
  return script;
}
