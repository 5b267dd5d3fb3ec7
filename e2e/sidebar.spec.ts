import { expect, test } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

test("the sidebar renames, searches and deletes conversations", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Quarterly numbers walrus [[reply:Numbers.]]");
  const firstId = chat.conversationId();
  await chat.newChat();
  await chat.send("Holiday ideas [[reply:Ideas.]]");
  const row = page.locator(`[data-testid="conversation-item"][data-conversation-id="${firstId}"]`);
  await expect(row).toBeVisible();

  await row.hover();
  await row.getByTestId("conversation-rename").click();
  const input = page.getByTestId("conversation-rename-input");
  await input.fill("Finance review");
  await input.press("Enter");
  await expect(row).toContainText("Finance review");

  await page.getByTestId("conversation-search").fill("walrus");
  await expect(page.getByTestId("conversation-item")).toHaveCount(1);
  await expect(page.getByTestId("conversation-item").first()).toContainText("Finance review");
  await page.getByTestId("conversation-search").fill("");
  await expect(page.getByTestId("conversation-item").filter({ hasText: "Holiday ideas" })).toBeVisible();

  await row.hover();
  await row.getByTestId("conversation-delete").click();
  await page.getByTestId("confirm-delete").click();
  await expect(row).toHaveCount(0);
  expect((await page.request.get(`/api/conversations/${firstId}`)).status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("conversation-item").filter({ hasText: "Finance review" })).toHaveCount(0);
  await expect(page.getByTestId("conversation-item").filter({ hasText: "Holiday ideas" })).toBeVisible();
});

test("works at 390 px wide with a collapsible sidebar and no sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const chat = new ChatPage(page);
  await chat.open();
  await expect(page.getByTestId("sidebar")).not.toBeInViewport();
  await chat.send("Small screen [[reply:Still readable.]]");
  await expect(chat.message("assistant", 1)).toContainText("Still readable.");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByTestId("sidebar-toggle").click();
  await expect(page.getByTestId("sidebar")).toBeInViewport();
  await expect(page.getByTestId("conversation-item").filter({ hasText: "Small screen" })).toBeVisible();
});

test("a search hit on a side branch opens the conversation on that branch", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Trunk message [[reply:trunk]]");
  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-here-button").click();
  await expect(chat.messages("user")).toHaveCount(1);
  await chat.send("Only on the side: narwhal [[reply:side]]");
  const id = chat.conversationId();
  const stored = await chat.stored();
  const main = stored.branches.find((branch) => branch.name === "main")!;
  expect((await page.request.patch(`/api/conversations/${id}/branches/${main.id}`, { data: { active: true } })).status()).toBe(200);

  await chat.newChat();
  await page.getByTestId("conversation-search").fill("narwhal");
  const hit = page.locator(`[data-testid="conversation-item"][data-conversation-id="${id}"]`);
  await expect(hit.getByRole("link").first()).toHaveAttribute("href", /\?branch=/);
  await hit.getByRole("link").first().click();
  await expect(chat.message("user", 2)).toContainText("narwhal");
  await expect(page.getByTestId("active-branch-name")).not.toHaveText("main");
});
