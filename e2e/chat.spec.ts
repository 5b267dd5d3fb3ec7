import { expect, test } from "@playwright/test";
import { DEMO_BASE_URL } from "../playwright.config";

const assistantMessages = (page: import("@playwright/test").Page) => page.locator('[data-testid="message"][data-role="assistant"]');
const userMessages = (page: import("@playwright/test").Page) => page.locator('[data-testid="message"][data-role="user"]');

test("sends a message, streams the reply, and still shows it after a reload", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByTestId("message-input").fill("Hello from the browser [[reply:Streaming works, one word at a time.]] [[delay:120]]");
  await page.getByTestId("send-button").click();

  await expect(page.getByTestId("chat")).toHaveAttribute("data-streaming", "true");
  await expect(assistantMessages(page).last()).toContainText("Streaming");
  await expect(page.getByTestId("chat")).not.toHaveAttribute("data-streaming", "true");
  await expect(assistantMessages(page).last()).toContainText("Streaming works, one word at a time.");
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  await testInfo.attach("streamed-chat", { body: await page.screenshot(), contentType: "image/png" });

  const id = page.url().split("/c/")[1]!;
  const stored = await (await page.request.get(`/api/conversations/${id}`)).json();
  expect(stored.conversation.turns).toHaveLength(1);
  expect(stored.conversation.turns[0].status).toBe("completed");
  expect(stored.conversation.turns[0].messages.map((m: { kind: string }) => m.kind)).toEqual(["user", "assistant"]);

  await page.reload();
  await expect(userMessages(page)).toHaveCount(1);
  await expect(userMessages(page).first()).toContainText("Hello from the browser");
  await expect(assistantMessages(page).first()).toContainText("Streaming works, one word at a time.");
  await expect(page.getByTestId("conversation-item").filter({ hasText: "Hello from the browser" })).toBeVisible();
});

test("labels the offline demo model and answers with it", async ({ page }) => {
  await page.goto(DEMO_BASE_URL);
  await expect(page.getByTestId("demo-badge")).toBeVisible();
  await page.getByTestId("message-input").fill("Are you real?");
  await page.getByTestId("message-input").press("Enter");
  await expect(assistantMessages(page).last()).toContainText("offline demo, not a real AI");
  await expect(assistantMessages(page).last()).toContainText('You said: "Are you real?"');
});
