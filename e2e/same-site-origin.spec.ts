import http from "node:http";
import path from "node:path";
import { chromium, expect, test, type Browser } from "@playwright/test";
import { freePort, startServer, stopServer, type AppServer } from "./support/app-server";
import { chromiumArgs } from "./support/chromium";
import { ChatPage } from "./support/chat-page";

// Two host names of one site: the visitor's `SameSite=Lax` cookie rides along on requests a page on the sibling host
// sends, so only the app's origin check stands between that page and the visitor's guest conversations.
const APP_HOST = "app.forkline.localhost";
const EVIL_HOST = "evil.forkline.localhost";
const ATTACKER = { email: "mallory@example.com", password: "a long attacker passphrase", name: "Mallory" };

let server: AppServer;
let evil: http.Server;
let evilPort: number;
let browser: Browser;

/** The attacker's page: a form post (no CORS preflight) and a no-cors fetch to the app's sign-in. */
function attackerPage(appOrigin: string): string {
  const action = `${appOrigin}/api/auth/sign-in/email`;
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${action}">
  <input name="email" value="${ATTACKER.email}"><input name="password" value="${ATTACKER.password}">
</form>
<script>
  window.fetchDone = fetch(${JSON.stringify(action)}, {
    method: "POST", mode: "no-cors", credentials: "include",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ email: ${JSON.stringify(ATTACKER.email)}, password: ${JSON.stringify(ATTACKER.password)} }),
  }).then(() => "sent", (error) => String(error));
</script>
</body></html>`;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startServer(
    {
      DATABASE_URL: `file:${path.resolve("test-results/e2e-data/same-site.db")}`,
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      FORKLINE_DEMO_DELAY_MS: "1",
      FORKLINE_TITLES: "heuristic",
    },
    120_000,
  );
  const appOrigin = `http://${APP_HOST}:${new URL(server.url).port}`;
  evilPort = await freePort();
  evil = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(attackerPage(appOrigin));
  });
  await new Promise<void>((resolve) => evil.listen(evilPort, "127.0.0.1", resolve));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [...chromiumArgs, `--host-resolver-rules=MAP ${APP_HOST} 127.0.0.1, MAP ${EVIL_HOST} 127.0.0.1`],
  });
  const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify(ATTACKER),
  });
  expect(signUp.status, await signUp.clone().text()).toBe(200);
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
  await stopServer(server);
});

/** The conversations the attacker's account can read, through a fresh sign-in of its own. */
async function attackerConversationTitles(): Promise<string[]> {
  const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ email: ATTACKER.email, password: ATTACKER.password }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.getSetCookie().map((value) => value.split(";")[0]).join("; ");
  const list = await fetch(`${server.url}/api/conversations`, { headers: { cookie } });
  const body = (await list.json()) as { conversations: { title: string }[] };
  return body.conversations.map((conversation) => conversation.title);
}

test("a page on a sibling host cannot sign the visitor's guest in to another account", async () => {
  const appUrl = `http://${APP_HOST}:${new URL(server.url).port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const chat = new ChatPage(page);
  await page.goto(`${appUrl}/`);
  await chat.send("my private plans");
  await expect(chat.message("user", 1)).toContainText("my private plans");
  await chat.waitIdle();
  const guestCookie = (await context.cookies(appUrl)).find((cookie) => cookie.name === "forkline.session_token");
  expect(guestCookie?.sameSite).toBe("Lax");

  const evilPage = await context.newPage();
  await evilPage.goto(`http://${EVIL_HOST}:${evilPort}/`);
  expect(await evilPage.evaluate(() => (window as unknown as { fetchDone: Promise<string> }).fetchDone)).toBe("sent");
  const [formResponse] = await Promise.all([
    evilPage.waitForResponse((response) => response.url().endsWith("/api/auth/sign-in/email") && response.request().method() === "POST"),
    evilPage.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
  ]);
  // The browser sent the visitor's cookie with it (same site), and the app refused it all the same.
  expect(await formResponse.request().headerValue("cookie")).toContain("forkline.session_token=");
  expect(formResponse.status()).toBe(403);
  expect(((await formResponse.json()) as { error: { code: string } }).error.code).toBe("cross_site_request");

  // The visitor is still the same guest with their conversation; the attacker's account received nothing.
  const me = await page.evaluate(async () => (await fetch("/api/me")).json());
  expect(me.user.isGuest).toBe(true);
  expect((await context.cookies(appUrl)).find((cookie) => cookie.name === "forkline.session_token")?.value).toBe(guestCookie?.value);
  await page.reload();
  await expect(chat.message("user", 1)).toContainText("my private plans");
  expect(await attackerConversationTitles()).toEqual([]);
  await context.close();
});

test("the app's own page on its host name can still sign in with JSON", async () => {
  const appUrl = `http://${APP_HOST}:${new URL(server.url).port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}/`);
  const status = await page.evaluate(
    async (credentials) =>
      (await fetch("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) })).status,
    { email: ATTACKER.email, password: ATTACKER.password },
  );
  expect(status).toBe(200);
  await context.close();
});
