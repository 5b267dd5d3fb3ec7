import path from "node:path";
import { chromium, expect, test, type Browser } from "@playwright/test";
import { startServer, stopServer, type AppServer } from "./support/app-server";
import { chromiumArgs } from "./support/chromium";
import { AccountPage } from "./support/account-page";
import { ChatPage } from "./support/chat-page";

// The README's quick start (`npm start`) opened from another machine: a LAN host name over plain http, which is not a
// secure context, so a cookie that needs https would be dropped and every request would become a new guest.
const HOST = "forkline.test";

let server: AppServer;
let browser: Browser;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startServer(
    {
      DATABASE_URL: `file:${path.resolve("test-results/e2e-data/lan.db")}`,
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      FORKLINE_DEMO_DELAY_MS: "1",
      FORKLINE_TITLES: "heuristic",
    },
    120_000,
    { quickStart: true },
  );
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [...chromiumArgs, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await stopServer(server);
});

const lanUrl = () => `http://${HOST}:${new URL(server.url).port}`;

test("npm start serves the existing production build without building again", () => {
  const output = server.output.join("");
  expect(output).not.toContain("building the production app");
  expect(output).toContain("forkline: ready on http://localhost:");
});

test("a guest on a LAN host name over http keeps their conversation across reloads", async () => {
  const context = await browser.newContext({ baseURL: lanUrl() });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  await chat.open("/");
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);

  await chat.send("hello from the LAN");
  await expect(chat.message("user", 1)).toContainText("hello from the LAN");
  const url = page.url();

  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === "forkline.session_token");
  expect(session, JSON.stringify(cookies)).toBeDefined();
  expect(session!.secure).toBe(false);
  expect(session!.httpOnly).toBe(true);
  expect(cookies.filter((cookie) => cookie.name.startsWith("__Secure-"))).toEqual([]);

  await page.reload();
  await expect(chat.message("user", 1)).toContainText("hello from the LAN");
  await expect(chat.messages("assistant")).toHaveCount(1);
  await chat.open("/");
  await expect(page.getByTestId("sidebar").getByText(/hello from the LAN/i)).toBeVisible();
  await page.goto(url);
  await expect(chat.message("user", 1)).toContainText("hello from the LAN");
  await context.close();
});

test("a newcomer on the LAN host name signs up, chats, signs out and in again, and finds everything", async () => {
  const context = await browser.newContext({ baseURL: lanUrl() });
  const page = await context.newPage();
  const chat = new ChatPage(page);
  const account = new AccountPage(page);
  const user = { name: "Grace Hopper", email: `grace-${Date.now()}@example.com`, password: "compass walnut ember" };

  await chat.open("/");
  await account.expectGuest();
  await chat.send("first words as a guest");
  await account.signUp(user);
  await expect(account.notice).toHaveText("1 conversation moved to your account");
  await account.expectSignedIn(user);
  await chat.newChat();
  await chat.send("second chat with an account");

  await account.signOut();
  await expect(page.getByTestId("conversation-list-empty")).toBeVisible();
  await account.signIn(user);
  await account.expectSignedIn(user);
  const rows = page.getByTestId("conversation-item");
  await expect(rows).toHaveCount(2);
  await rows.filter({ hasText: /first words as a guest/i }).click();
  await expect(chat.message("user", 1)).toContainText("first words as a guest");
  await expect(chat.messages("assistant")).toHaveCount(1);
  const session = (await context.cookies()).find((cookie) => cookie.name === "forkline.session_token");
  expect(session?.secure).toBe(false);
  await context.close();
});
