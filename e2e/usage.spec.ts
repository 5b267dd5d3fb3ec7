import { expect, test } from "@playwright/test";
import { ChatPage } from "./support/chat-page";
import { captureScreen } from "./support/screenshots";

// test-model: $2 input, $0.50 cached input, $8 output per 1M tokens (test/support/test-prices.json).
test("per-turn usage and the usage panel show exact totals, split into inherited and own after a fork", async ({ page }, testInfo) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Plan a trip [[reply:Here is a plan.]] [[usage:in=100000,out=10000]]"); // 200,000 + 80,000 µ$ = $0.28
  await chat.send("Add a museum [[reply:Added the museum.]] [[usage:in=50000,cached=20000,out=5000,reasoning=1000]]"); // 60,000 + 10,000 + 40,000 µ$ = $0.11
  await expect(chat.turn(2).getByTestId("turn-usage")).toContainText("$0.11");
  await expect(chat.turn(2).getByTestId("turn-usage")).toContainText("cached 20.0k");
  await expect(chat.turn(2).getByTestId("turn-usage")).toContainText("reasoning 1,000");
  await captureScreen(page, testInfo, "chat");

  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-here-button").click();
  await expect(chat.messages("user")).toHaveCount(1);
  await chat.send("Add a beach instead [[reply:Beach it is.]] [[usage:in=10000,out=1000]]"); // 20,000 + 8,000 µ$ = $0.028

  await page.getByTestId("usage-button").click();
  const panel = page.getByTestId("usage-panel");
  await expect(panel.getByTestId("usage-total")).toHaveText("$0.418");
  const rows = panel.getByTestId("usage-branch-row");
  await expect(rows).toHaveCount(2);
  const main = rows.filter({ hasText: "main" });
  await expect(main.getByTestId("usage-branch-own")).toHaveText("$0.390");
  const fork = rows.filter({ hasNotText: "main" });
  await expect(fork.getByTestId("usage-branch-inherited")).toHaveText("$0.280");
  await expect(fork.getByTestId("usage-branch-own")).toHaveText("$0.028");
  await expect(fork.getByTestId("usage-branch-total")).toHaveText("$0.308");
  // 20,000 of 160,000 input tokens cached, each 1.5 µ$ cheaper than uncached input: 30,000 µ$ saved.
  await expect(panel.getByTestId("usage-total-cache")).toHaveText("cache hit 13% · saved $0.03");
  await expect(main.getByTestId("usage-branch-cache")).toHaveText("cache hit 13% · saved $0.03");
  await expect(fork.getByTestId("usage-branch-cache")).toHaveCount(0);
  await captureScreen(page, testInfo, "usage-panel");

  const conversationId = chat.conversationId();
  await page.goto("/usage");
  const review = page.getByTestId("usage-page");
  await expect(review.locator(`[data-testid="usage-conversation-row"][data-conversation-id="${conversationId}"]`)).toContainText("$0.418");
  await captureScreen(page, testInfo, "usage-page");
});

test("the sidebar shows each conversation's cost", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Pricey [[reply:ok]] [[usage:in=1000000,out=0]]"); // $2.00
  const row = page.locator(`[data-testid="conversation-item"][data-conversation-id="${chat.conversationId()}"]`);
  await expect(row).toContainText("$2.00");
});
