import { expect, test } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

test("the stop button keeps the partial answer and marks the turn stopped, also after a reload", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.input.fill("Count slowly [[reply:one two three four five six seven eight nine ten eleven twelve]] [[delay:200]]");
  await page.getByTestId("send-button").click();
  await expect(chat.messages("assistant").last()).toContainText("two");
  await page.getByTestId("stop-button").click();
  await chat.waitIdle();
  await expect(chat.turn(1).getByTestId("turn-status")).toContainText(/stopped/i);
  const partial = (await chat.message("assistant", 1).innerText()).trim();
  expect(partial).toContain("one two");
  expect(partial).not.toContain("twelve");
  const stored = await chat.stored();
  expect(stored.turns[0]!.status).toBe("stopped");
  await page.reload();
  await expect(chat.turn(1).getByTestId("turn-status")).toContainText(/stopped/i);
  await expect(chat.message("assistant", 1)).toContainText("one two");
});

test("Esc stops a streaming reply too", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.input.fill("Go on [[reply:alpha beta gamma delta epsilon zeta eta theta iota kappa]] [[delay:200]]");
  await chat.input.press("Enter");
  await expect(chat.messages("assistant").last()).toContainText("alpha");
  await page.keyboard.press("Escape");
  await chat.waitIdle();
  await expect(chat.turn(1).getByTestId("turn-status")).toContainText(/stopped/i);
});

test("a failed turn is marked with the reason, and retry answers as a sibling", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.input.fill("Unlucky question [[error-once:500]]");
  await page.getByTestId("send-button").click();
  await chat.waitIdle();
  await expect(chat.turn(1).getByTestId("turn-status")).toContainText(/failed/i);
  await expect(chat.turn(1)).toContainText(/model provider failed/i);
  await expect(chat.message("user", 1)).toContainText("Unlucky question");
  await chat.turn(1).getByTestId("retry-button").click();
  await expect(chat.message("assistant", 1)).toContainText("Echo: Unlucky question");
  await chat.waitIdle();
  await expect(chat.turn(1).getByTestId("sibling-position")).toHaveText("2 / 2");
  const stored = await chat.stored();
  expect(stored.turns.map((turn) => turn.status)).toEqual(["completed"]);
});
