import fs from "node:fs";

/** Flags the project runs Chromium with (one list, shared with the end-to-end tests). */
export { chromiumArgs as CHROMIUM_ARGS } from "../../e2e/support/chromium";

/** CHROMIUM_PATH or Debian's chromium, or null when neither exists. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((file): file is string => Boolean(file && fs.existsSync(file))) ?? null;
}
