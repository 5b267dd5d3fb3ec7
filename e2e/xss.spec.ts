import { expect, test } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

const PAYLOADS = [
  "<img src=x onerror=\"window.__xss='img'\">",
  "<script>window.__xss='script'</script>",
  "<svg onload=\"window.__xss='svg'\"></svg>",
  "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
  "<a href=\"javascript:window.__xss='anchor'\">html link</a>",
  "[markdown link](javascript:window.__xss='md')",
  "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "<details open ontoggle=\"window.__xss='details'\">x</details>",
];

test("markup from people and models renders as text: no script runs", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const chat = new ChatPage(page);
  await chat.open();
  await chat.send("<img src=x onerror=alert(1)>");
  await expect(chat.message("user", 1)).toContainText("<img src=x onerror=alert(1)>");

  for (const payload of PAYLOADS) {
    await chat.send(`${payload} [[reply:model says ${payload}]]`);
  }
  await expect(chat.messages("assistant")).toHaveCount(PAYLOADS.length + 1);
  await expect(chat.message("user", 2)).toContainText("onerror");
  await expect(chat.message("assistant", 2)).toContainText("onerror");

  const messages = page.locator('[data-testid="message"]');
  // Icons in the message actions are SVG; nothing from the payloads may become an element or a handler.
  await expect(messages.locator("img, script, iframe, details, svg[onload], [onerror], [onload], [ontoggle]")).toHaveCount(0);
  await expect(messages.locator('a[href^="javascript:"], a[href^="data:"]')).toHaveCount(0);
  for (const text of ["markdown link", "data link"]) {
    const link = messages.getByText(text).first();
    if (await link.count()) await link.click({ trial: false }).catch(() => undefined);
  }
  await page.reload();
  await expect(chat.messages("assistant")).toHaveCount(PAYLOADS.length + 1);
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
