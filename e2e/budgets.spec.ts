import { expect, test, type Page } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

// The composer's pre-send estimate, the 80 % warning and a refused send (docs/budgets.md). test-model input costs
// $2 per 1M tokens (test/support/test-prices.json).

async function setConversationBudget(page: Page, dollars: string) {
  await page.getByTestId("conversation-system-prompt").click();
  await expect(page.getByTestId("conversation-budget-input")).toBeVisible();
  await page.getByTestId("conversation-budget-input").fill(dollars);
  await page.getByTestId("conversation-budget-save").click();
  await expect(page.getByTestId("conversation-budget-saved")).toHaveText("Budget saved.");
  await page.getByRole("button", { name: "Cancel" }).click();
}

test("the composer shows the estimate and the 80 % warning, and a refused send keeps the draft", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Spend some [[usage:in=40000,out=0]]"); // 80,000 micro-dollars

  await chat.input.fill("A short follow-up question");
  const estimate = page.getByTestId("turn-estimate");
  await expect(estimate).toHaveText(/^≈ \d[\d,]* in · ≈ \$0\.\d+$/);
  await expect(page.getByTestId("budget-warning-conversation")).toHaveCount(0);

  await setConversationBudget(page, "0.1");
  await chat.input.fill("A short follow-up question, again");
  await expect(page.getByTestId("budget-warning-conversation")).toContainText("80% of this conversation's");

  await setConversationBudget(page, "0.08");
  const draft = "This one is past the budget";
  await chat.input.fill(draft);
  await page.getByTestId("send-button").click();
  await expect(page.getByTestId("error-banner")).toContainText("this conversation's budget of $0.08");
  await expect(page.getByTestId("error-banner")).toContainText("conversation's settings");
  await expect(chat.input).toHaveValue(draft);
  expect((await chat.stored()).turns).toHaveLength(1);
});

test("the monthly budget is set in Settings in dollars", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await page.getByTestId("open-settings").click();
  await page.getByTestId("settings-monthly-budget").fill("abc");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-error")).toContainText("positive amount in dollars");
  await page.getByTestId("settings-monthly-budget").fill("5");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-dialog")).toHaveCount(0);
  await expect.poll(async () => (await (await page.request.get("/api/settings")).json()).settings.monthlyBudgetMicros).toBe(5_000_000);
});
