import { expect, test } from "@playwright/test";
import { ChatPage } from "./support/chat-page";
import { captureScreen } from "./support/screenshots";

test("editing a message forks: the new answer shows, and the old one is reachable with ‹ ›", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("What is the capital of France? [[reply:Paris.]]");
  await chat.send("And of Italy? [[reply:Rome.]]");

  await chat.message("user", 2).hover();
  await chat.message("user", 2).getByTestId("edit-button").click();
  await page.getByTestId("edit-input").fill("And of Spain? [[reply:Madrid.]]");
  await page.getByTestId("edit-submit").click();
  await expect(chat.message("assistant", 2)).toContainText("Madrid.");
  await chat.waitIdle();
  await expect(chat.turn(2).getByTestId("sibling-position")).toHaveText("2 / 2");
  await expect(chat.messages("user")).toHaveCount(2);

  await chat.turn(2).getByTestId("sibling-prev").click();
  await expect(chat.message("assistant", 2)).toContainText("Rome.");
  await expect(chat.turn(2).getByTestId("sibling-position")).toHaveText("1 / 2");
  const stored = await chat.stored();
  expect(stored.branches).toHaveLength(2);
  expect(stored.branches.find((branch) => branch.isCurrent)?.name).toBe("main");

  await page.reload();
  await expect(chat.message("assistant", 2)).toContainText("Rome.");
  await chat.turn(2).getByTestId("sibling-next").click();
  await expect(chat.message("assistant", 2)).toContainText("Madrid.");
});

test("regenerate makes a sibling answer and keeps the first", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("Tell me a colour [[reply:Blue.]]");
  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("regenerate-button").click();
  await expect(chat.message("assistant", 1)).toContainText("Blue.");
  await chat.waitIdle();
  const stored = await chat.stored();
  expect(stored.branches).toHaveLength(2);
  await expect(page.getByTestId("sibling-position").first()).toHaveText("2 / 2");
  await page.getByTestId("sibling-prev").first().click();
  await expect(page.getByTestId("sibling-position").first()).toHaveText("1 / 2");
});

test("fork here continues from an answer on a new branch; fork into a new conversation reads the history", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("first [[reply:one]]");
  await chat.send("second [[reply:two]]");
  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-here-button").click();
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(page.getByTestId("active-branch-name")).not.toHaveText("main");
  await chat.send("another second [[reply:two-b]]");
  const stored = await chat.stored();
  expect(stored.turns.map((turn) => turn.messages.at(-1)?.text)).toEqual(["one", "two-b"]);

  const original = chat.conversationId();
  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-new-conversation-button").click();
  await expect(page).not.toHaveURL(new RegExp(`/c/${original}$`));
  await expect(chat.messages("user")).toHaveCount(1);
  await expect(chat.message("assistant", 1)).toContainText("one");
  await chat.send("in the fork [[reply:forked]]");
  await page.goto(`/c/${original}`);
  await expect(page.getByText("in the fork")).toHaveCount(0);
});

test("the branch menu lists, renames, switches and deletes branches", async ({ page }, testInfo) => {
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("root [[reply:r]]");
  await chat.message("assistant", 1).hover();
  await chat.message("assistant", 1).getByTestId("fork-here-button").click();
  await chat.send("on the fork [[reply:f]]");

  let menu = await chat.openBranchMenu();
  await expect(menu.getByTestId("branch-item")).toHaveCount(2);
  await captureScreen(page, testInfo, "branch-menu");
  const fork = menu.getByTestId("branch-item").filter({ hasNotText: "main" });
  await fork.getByTestId("branch-rename").click();
  const nameInput = page.getByRole("textbox", { name: /branch name/i });
  await nameInput.fill("experiment");
  await nameInput.press("Enter");
  await expect(page.getByTestId("active-branch-name")).toHaveText("experiment");

  if (!(await page.getByTestId("branch-menu").isVisible())) menu = await chat.openBranchMenu();
  await menu.getByTestId("branch-item").filter({ hasText: "main" }).click();
  await expect(page.getByTestId("active-branch-name")).toHaveText("main");
  await expect(chat.messages("user")).toHaveCount(1);

  if (!(await page.getByTestId("branch-menu").isVisible())) menu = await chat.openBranchMenu();
  await menu.getByTestId("branch-item").filter({ hasText: "experiment" }).getByTestId("branch-delete").click();
  await page.getByTestId("confirm-delete").click();
  await expect.poll(async () => (await chat.stored()).branches.map((branch) => branch.name)).toEqual(["main"]);
});
