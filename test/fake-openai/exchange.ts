import type { ServerResponse } from "node:http";
import { cutConnection, sendError, sendJson, sleep } from "./http";
import { parseScript, ScriptError, type Script } from "./script";

export type Exchange = {
  res: ServerResponse;
  body: Record<string, unknown>;
  signal: AbortSignal;
  failedOnce: Set<string>;
};

function shouldFail(exchange: Exchange, script: Script, lastUserText: string): boolean {
  if (!script.error) return false;
  if (!script.error.once) return true;
  if (exchange.failedOnce.has(lastUserText)) return false;
  exchange.failedOnce.add(lastUserText);
  return true;
}

/**
 * Applies the markers both endpoints share (first delay, scripted errors).
 * Returns the script when the request should be answered, undefined when a response was already sent.
 */
export async function beginExchange(exchange: Exchange, lastUserText: string): Promise<Script | undefined> {
  let script: Script;
  try {
    script = parseScript(lastUserText);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    sendError(exchange.res, 400, error.message, { code: "invalid_script" });
    return undefined;
  }
  await sleep(script.firstDelayMs, exchange.signal);
  if (shouldFail(exchange, script, lastUserText)) {
    const status = script.error?.status ?? 500;
    const headers: Record<string, string> = script.retryAfter ? { "retry-after": script.retryAfter } : {};
    sendError(exchange.res, status, `Scripted error ${status}`, { code: "scripted_error", headers });
    return undefined;
  }
  return script;
}

/** Sends a non-streaming answer, or breaks it as the cut and malformed markers ask. */
export function sendFinal(exchange: Exchange, script: Script, payload: unknown): void {
  const { res } = exchange;
  if (script.cut !== undefined) {
    cutConnection(res);
    return;
  }
  if (script.malformed) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"this is not": json');
    return;
  }
  sendJson(res, 200, payload);
}
