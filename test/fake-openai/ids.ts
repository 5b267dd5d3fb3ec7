import { randomBytes } from "node:crypto";

/** A fresh OpenAI-looking id such as `resp_3f2a…`. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString("hex")}`;
}

/** The current time in whole seconds, as OpenAI's `created` fields use. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
