// Finds a Chromium to drive: CHROMIUM_PATH, Debian's /usr/bin/chromium, or a browser Playwright installed itself.
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const INSTALL_HINT = "sudo apt-get install -y chromium   (Debian/Ubuntu; or set CHROMIUM_PATH to a Chromium or Chrome binary)";

function playwrightChromium() {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || path.join(os.homedir(), ".cache", "ms-playwright");
  if (!existsSync(cache)) return undefined;
  for (const dir of readdirSync(cache).filter((name) => name.startsWith("chromium")).sort().reverse()) {
    for (const candidate of ["chrome-linux/chrome", "chrome-linux64/chrome", "chrome-linux/headless_shell", "chrome-headless-shell-linux64/chrome-headless-shell"]) {
      const file = path.join(cache, dir, candidate);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** The Chromium executable to use, or undefined when none is installed. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((file) => file && existsSync(file)) ?? playwrightChromium();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChromium();
  if (!found) {
    console.error(`No Chromium found. Install one with:\n  ${INSTALL_HINT}`);
    process.exit(1);
  }
  console.log(found);
}
