import { expect, test, type Page } from "@playwright/test";
import { captureScreen } from "./support/screenshots";
import { ChatPage } from "./support/chat-page";

// The fake OpenAI server playwright.config.ts starts (same port rule), whose /__requests shows what the model was sent.
const FAKE_URL = `http://127.0.0.1:${Number(process.env.E2E_FAKE_PORT ?? 4987)}`;

/** The instructions of every model request the fake server saw whose input mentions `marker`. */
async function instructionsSentWith(page: Page, marker: string): Promise<unknown[]> {
  const requests = (await (await page.request.get(`${FAKE_URL}/__requests`)).json()) as { body: Record<string, unknown> }[];
  return requests
    .filter((request) => JSON.stringify(request.body.input ?? request.body.messages ?? "").includes(marker))
    .map((request) => {
      const system = ((request.body.messages ?? []) as { role: string; content: unknown }[]).find((message) => message.role === "system");
      return request.body.instructions ?? system?.content;
    });
}

async function openSettings(page: Page) {
  await page.getByTestId("open-settings").click();
  await expect(page.getByTestId("settings-dialog")).toBeVisible();
  await expect(page.getByTestId("settings-save")).toBeVisible();
}

const storedSettings = async (page: Page) => (await (await page.request.get("/api/settings")).json()).settings as Record<string, unknown>;

test("dark theme applies at once, wins over the system preference, and survives a reload with no settings fetch", async ({ page }, testInfo) => {
  const chat = new ChatPage(page);
  await chat.open();
  const html = page.locator("html");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe("rgb(255, 255, 255)");

  await openSettings(page);
  await page.getByTestId("theme-dark").click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  expect(await background()).toBe("rgb(15, 15, 19)");
  await expect.poll(async () => (await storedSettings(page)).theme).toBe("dark");
  await captureScreen(page, testInfo, "settings");
  await page.getByTestId("settings-close").click();

  // The first paint comes from the localStorage mirror: it holds even when the settings request never answers.
  await page.route("**/api/settings", (route) => route.abort());
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  expect(await background()).toBe("rgb(15, 15, 19)");
  await page.unroute("**/api/settings");

  // An explicit light theme beats a dark system preference.
  await page.emulateMedia({ colorScheme: "dark" });
  await openSettings(page);
  await page.getByTestId("theme-light").click();
  await expect(html).toHaveAttribute("data-theme", "light");
  expect(await background()).toBe("rgb(255, 255, 255)");
  await page.getByTestId("theme-system").click();
  await expect(html).not.toHaveAttribute("data-theme", /./);
  expect(await background()).toBe("rgb(15, 15, 19)");
});

test("the default system prompt and a conversation's own prompt reach the model", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  const prompt = `Answer like a lighthouse keeper ${Date.now()}.`;
  await openSettings(page);
  await page.getByTestId("settings-system-prompt").fill(prompt);
  await page.getByTestId("settings-temperature").fill("0.4");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-dialog")).toBeHidden();
  expect(await storedSettings(page)).toMatchObject({ systemPrompt: prompt, temperature: 0.4 });

  const first = `first-${Date.now()}`;
  await chat.send(`${first} [[reply:Aye.]]`);
  expect(await instructionsSentWith(page, first)).toEqual([prompt]);

  const own = `Only this conversation: speak in haiku ${Date.now()}.`;
  await page.getByTestId("conversation-system-prompt").click();
  await expect(page.getByTestId("conversation-system-prompt-input")).toBeEnabled();
  await page.getByTestId("conversation-system-prompt-input").fill(own);
  await page.getByTestId("conversation-system-prompt-save").click();
  await expect(page.getByTestId("conversation-system-prompt-dialog")).toBeHidden();
  const second = `second-${Date.now()}`;
  await chat.send(`${second} [[reply:Waves.]]`);
  expect(await instructionsSentWith(page, second)).toEqual([own]);

  // The editor shows the stored prompt again.
  await page.getByTestId("conversation-system-prompt").click();
  await expect(page.getByTestId("conversation-system-prompt-input")).toHaveValue(own);
});

test("the model picker starts on the default model, also after a reload", async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.open();
  const picker = page.getByTestId("model-picker");
  await expect(picker).toHaveValue("test-model");

  await openSettings(page);
  await page.getByTestId("settings-default-model").selectOption("test-model-cheap");
  await page.getByTestId("settings-save").click();
  await expect(page.getByTestId("settings-dialog")).toBeHidden();
  await expect(picker).toHaveValue("test-model-cheap");

  await page.reload();
  await expect(picker).toHaveValue("test-model-cheap");
  await openSettings(page);
  await expect(page.getByTestId("settings-default-model")).toHaveValue("test-model-cheap");
});
