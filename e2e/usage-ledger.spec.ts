import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startFakeOpenAI, type FakeOpenAI } from "../test/fake-openai/server";
import { startServer, stopServer, type AppServer } from "./support/app-server";
import { ChatPage } from "./support/chat-page";

// Its own server: a model with no price (llama3.2) and model-made titles, so the title is a call of its own.
// test-model: $2 input per 1M tokens = 2 µ$ a token (test/support/test-prices.json); llama3.2 has no price.
test.describe.configure({ mode: "serial" });

let fake: FakeOpenAI;
let app: AppServer;

test.beforeAll(async () => {
  fake = await startFakeOpenAI();
  const dataDir = path.resolve("test-results/e2e-data");
  mkdirSync(dataDir, { recursive: true });
  app = await startServer({
    DATABASE_URL: `file:${dataDir}/usage-ledger-${Date.now()}.db`,
    OPENAI_API_KEY: "ledger-key",
    OPENAI_BASE_URL: fake.url,
    FORKLINE_MODELS: "test-model,llama3.2",
    FORKLINE_PRICES_FILE: path.resolve("test/support/test-prices.json"),
    FORKLINE_TITLES: "model",
    FORKLINE_TITLE_MODEL: "test-model",
    FORKLINE_MODEL_MAX_RETRIES: "0",
    FORKLINE_TURNS_PER_MINUTE: "0",
  });
});

test.afterAll(async () => {
  await stopServer(app);
  await fake?.close();
});

/** The micro-dollars a displayed "$1,234.56789" stands for, by string arithmetic (no floats). */
function displayedMicros(text: string): number {
  const match = /^\$([\d,]+)\.(\d{2,6})$/.exec(text.trim());
  if (!match) throw new Error(`not an amount of money: ${text}`);
  return Number(match[1]!.replaceAll(",", "")) * 1_000_000 + Number(match[2]!.padEnd(6, "0"));
}

async function pickModel(page: Page, model: string): Promise<void> {
  await page.getByTestId("model-picker").selectOption(model);
  await expect(page.getByTestId("model-picker")).toHaveValue(model);
}

// 400 µ$ (turn 1) + 400 µ$ (its title call, the same scripted usage) + 90 µ$ (the fork's turn), and one unpriced call.
const CONVERSATION_COST = "$0.00089 + 1 unpriced call (llama3.2)";

test("a conversation with a priced and an unpriced turn shows its known part and its unpriced call everywhere; deleting a branch or the conversation moves no total", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open(`${app.url}/`);
  await pickModel(page, "test-model");
  await chat.send("Plan a trip [[reply:Trip plan]] [[usage:in=200,out=0]]");
  await pickModel(page, "llama3.2");
  await chat.send("Ask the local model [[reply:Local answer]] [[usage:in=10,out=5]]");
  await expect(chat.turn(2).getByTestId("turn-cost")).toHaveText("$0.00 + 1 unpriced call (llama3.2)");

  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-here-button").click();
  await expect(chat.messages("user")).toHaveCount(1);
  await pickModel(page, "test-model");
  await chat.send("Go to the beach [[reply:Beach]] [[usage:in=45,out=0]]");
  const conversationId = chat.conversationId();

  const row = page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
  await expect(row.getByTestId("conversation-cost")).toContainText(CONVERSATION_COST);

  await page.getByTestId("usage-button").click();
  const panel = page.getByTestId("usage-panel");
  await expect(panel.getByTestId("usage-total")).toHaveText(CONVERSATION_COST);
  await expect(panel.getByTestId("usage-overhead")).toHaveText(/Conversation overhead \(title\)\s*\$0\.00040$/);

  const fork = panel.getByTestId("usage-branch-row").filter({ hasNotText: "main" });
  const [inherited, own, total] = await Promise.all(
    ["usage-branch-inherited", "usage-branch-own", "usage-branch-total"].map(async (id) => displayedMicros(await fork.getByTestId(id).innerText())),
  );
  expect({ inherited, own, total }).toEqual({ inherited: 400, own: 90, total: 490 });
  expect(inherited! + own!).toBe(total);

  const turn1 = panel.locator('[data-testid="usage-turn-row"][data-turn-number="1"]');
  await turn1.getByTestId("usage-turn-toggle").click();
  const calls = turn1.getByTestId("usage-call-row");
  await expect(calls).toHaveCount(2);
  const title = calls.filter({ hasText: "title" });
  await expect(title).toHaveAttribute("data-overhead", "true");
  await expect(title.getByTestId("usage-call-overhead")).toHaveText("not part of this turn's total");
  await expect(calls.filter({ hasText: "answer" })).toHaveAttribute("data-overhead", "false");
  await expect(turn1.getByTestId("usage-turn-cost")).toHaveText("$0.0004");
  await page.getByTestId("usage-close").click();

  const menu = await chat.openBranchMenu();
  await menu.locator('[data-testid="branch-item"][data-active="true"]').getByTestId("branch-delete").click();
  await expect(page.getByTestId("confirm-dialog")).toContainText("What it cost stays in your usage totals (shown as deleted conversations / deleted branches).");
  await page.getByTestId("confirm-delete").click();
  await expect(page.getByTestId("active-branch-name")).toHaveText("main");
  await page.getByTestId("usage-button").click();
  await expect(panel.getByTestId("usage-total")).toHaveText(CONVERSATION_COST);
  await expect(panel.getByTestId("usage-deleted-branches")).toHaveText(/Deleted branches\s*\$0\.00009$/);
  await page.getByTestId("usage-close").click();

  await page.goto(`${app.url}/usage`);
  const review = page.getByTestId("usage-page");
  await expect(review.getByTestId("usage-review-total")).toHaveText(CONVERSATION_COST);
  await expect(review.locator(`[data-testid="usage-conversation-row"][data-conversation-id="${conversationId}"]`)).toContainText(CONVERSATION_COST);
  await expect(review.getByTestId("usage-deleted-conversations")).toHaveCount(0);

  await page.goto(`${app.url}/c/${conversationId}`);
  await row.hover();
  await row.getByTestId("conversation-delete").click();
  await expect(page.getByTestId("confirm-dialog")).toContainText("What it cost stays in your usage totals (shown as deleted conversations / deleted branches).");
  await page.getByTestId("confirm-delete").click();
  await expect(row).toHaveCount(0);

  await page.goto(`${app.url}/usage`);
  await expect(review.getByTestId("usage-review-total")).toHaveText(CONVERSATION_COST);
  await expect(review.getByTestId("usage-conversation-row")).toHaveCount(0);
  await expect(review.getByTestId("usage-deleted-conversations")).toHaveText(/Deleted conversations.*\$0\.00089 \+ 1 unpriced call \(llama3\.2\)$/);
});
