import { expect, test, type Page, type Response } from "@playwright/test";

const isSessionCookie = (line: string) => /^forkline\.session_token=/.test(line);

/** Every response that handed this browser a new session cookie (one per guest the server made for it). */
function watchMints(page: Page): { mints: string[]; mintRequests: string[] } {
  const seen = { mints: [] as string[], mintRequests: [] as string[] };
  page.on("response", async (response: Response) => {
    const lines = (await response.headersArray()).filter(({ name }) => name.toLowerCase() === "set-cookie").map(({ value }) => value);
    if (lines.some(isSessionCookie)) seen.mints.push(`${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/me") seen.mintRequests.push(request.url());
  });
  return seen;
}

test("a first visit that only reads makes no guest; its first send makes exactly one", async ({ page, context }) => {
  const seen = watchMints(page);
  const listed = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/conversations" && response.request().method() === "GET");
  const asked = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/me" && response.request().method() === "GET");
  await page.goto("/");
  expect((await listed).status()).toBe(200);
  expect(await (await asked).json()).toEqual({ user: null });
  await expect(page.getByTestId("message-input")).toBeVisible();
  expect(seen.mints).toEqual([]);
  expect((await context.cookies()).filter((cookie) => cookie.name === "forkline.session_token")).toEqual([]);

  await page.getByTestId("message-input").fill("first words [[reply:Hello, guest.]]");
  await page.getByTestId("send-button").click();
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText("Hello, guest.");
  await expect(page.getByTestId("chat")).not.toHaveAttribute("data-streaming", "true");

  expect(seen.mintRequests).toHaveLength(1);
  expect(seen.mints).toEqual(["POST /api/me"]);
  const me = await (await page.request.get("/api/me")).json();
  expect(me.user).toMatchObject({ isGuest: true });
  await page.reload();
  await expect(page.getByTestId("conversation-item").filter({ hasText: "first words" })).toBeVisible();
  expect(seen.mints).toEqual(["POST /api/me"]);
});
