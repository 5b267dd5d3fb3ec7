import type { Browser, BrowserContextOptions } from "@playwright/test";

export type StorageState = Exclude<BrowserContextOptions["storageState"], string | undefined>;

export interface PageLoad {
  /** From navigation start to the first frame where the last assistant message is in the viewport. */
  lastMessageMs: number;
  /** JS heap in use after a forced garbage collection, in MB (10^6 bytes). */
  heapMB: number;
  /** When the page started fetching the conversation (`GET /api/conversations/:id`); null if it never did. */
  fetchStartMs: number | null;
  /** When that response had fully arrived. */
  dataMs: number | null;
  domNodes: number;
  /** Elements marked `data-testid="message"` in the DOM. */
  messages: number;
}

const LOAD_TIMEOUT_MS = 30_000;

/** Runs in the page on every animation frame: the time once the last assistant message is in view, else false. */
function lastMessageInView({ turn, text }: { turn: number; text: string }): number | false {
  const byTurn = document.querySelector(`[data-testid="message"][data-role="assistant"][data-turn-number="${turn}"]`);
  const byText = byTurn ? null : document.evaluate(`//*[contains(text(), "${text}")]`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
  const element = byTurn ?? (byText instanceof Element ? byText : null);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  const inView = box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  return inView ? performance.now() : false;
}

const VIEWPORT = { width: 1280, height: 800 };

/** The cookies and storage a browser holds after its first visit to the app (a guest session, when the app makes one). */
export async function browserSession(browser: Browser, appUrl: string, path: string): Promise<StorageState> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}/`, { timeout: LOAD_TIMEOUT_MS });
    // A read makes no guest: the page asks for one with a same-origin write, as the UI does before its first send.
    const status = await page.evaluate(async (url) => (await fetch(url, { method: "POST" })).status, path);
    if (status !== 200) throw new Error(`POST ${path} answered ${status}`);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** Runs in the page: when the conversation detail finished loading, and how big the DOM is. */
function pageStats(): { fetchStartMs: number | null; dataMs: number | null; domNodes: number; messages: number } {
  const detail = performance
    .getEntriesByType("resource")
    .filter((entry) => /^\/api\/conversations\/[^/]+$/.test(new URL(entry.name).pathname)) as PerformanceResourceTiming[];
  const last = detail.sort((a, b) => a.responseEnd - b.responseEnd).at(-1);
  return {
    fetchStartMs: last ? last.startTime : null,
    dataMs: last ? last.responseEnd : null,
    domNodes: document.getElementsByTagName("*").length,
    messages: document.querySelectorAll('[data-testid="message"]').length,
  };
}

/** Opens `url` in a fresh context (cold cache) as `session`, waits for the last assistant message, reads the JS heap. */
export async function measurePageLoad(browser: Browser, session: StorageState, url: string, lastTurn: number, lastText: string): Promise<PageLoad> {
  const context = await browser.newContext({ viewport: VIEWPORT, storageState: session });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(url, { waitUntil: "commit", timeout: LOAD_TIMEOUT_MS });
    const responses: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/api/")) responses.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    const seen = await page
      .waitForFunction(lastMessageInView, { turn: lastTurn, text: lastText }, { polling: "raf", timeout: LOAD_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        const shown = await page.evaluate(() => document.body.innerText.replace(/\s+/g, " ").slice(0, 300)).catch(() => "(page gone)");
        throw new Error(`${(error as Error).message.split("\n")[0]} on ${url}; API responses: ${responses.join(", ") || "none"}; the page shows: ${shown}`);
      });
    const lastMessageMs = (await seen.jsonValue()) as number;
    const stats = await page.evaluate(pageStats);
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const heap = metrics.find((metric) => metric.name === "JSHeapUsedSize")?.value;
    if (heap === undefined) throw new Error("Chromium reported no JSHeapUsedSize");
    return { lastMessageMs, heapMB: heap / 1e6, ...stats };
  } finally {
    await context.close();
  }
}
