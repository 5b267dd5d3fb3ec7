import { expect, test } from "@playwright/test";
import { AccountPage } from "./support/account-page";
import { ChatPage } from "./support/chat-page";
import { captureScreen } from "./support/screenshots";

test("a guest signs up, keeps the chat, signs out and in, changes the password and deletes the account", async ({ page }, testInfo) => {
  const chat = new ChatPage(page);
  const account = new AccountPage(page);
  const rows = page.getByTestId("conversation-item");
  const user = { name: "Ada Lovelace", email: `ada-${Date.now()}@example.com`, password: "kettle orbit mango" };

  await chat.open();
  await account.expectGuest();
  await chat.send("Analytical engine notes [[reply:Noted.]]");
  const conversationId = chat.conversationId();
  await expect(rows).toHaveCount(1);

  await account.signUp(user);
  await expect(account.notice).toHaveText("1 conversation moved to your account");
  await account.expectSignedIn(user);
  await expect(rows).toHaveCount(1);
  await account.openMenu();
  await captureScreen(page, testInfo, "account-menu");

  await account.signOut();
  await expect(page.getByTestId("conversation-list-empty")).toBeVisible();
  await expect(rows).toHaveCount(0);

  const refused = await account.submitSignIn({ email: user.email, password: "not the password" });
  await expect(refused.getByTestId("account-error")).toBeVisible();
  await refused.getByTestId("account-cancel").click();
  await account.signIn(user);
  await account.expectSignedIn(user);
  await rows.filter({ hasText: "Analytical engine notes" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}$`));
  await expect(chat.message("user", 1)).toContainText("Analytical engine notes");
  await expect(chat.message("assistant", 1)).toContainText("Noted.");

  const weak = await account.changePassword(user.password, "12345678");
  await expect(weak.getByTestId("account-error")).toContainText("common");
  await weak.getByTestId("account-cancel").click();
  const newPassword = "lantern pebble quartz";
  const changed = await account.changePassword(user.password, newPassword);
  await expect(changed).toHaveCount(0);
  await expect(account.notice).toContainText("Password changed");
  // A third sign-in attempt within 10 s: Better Auth allows three per window in production, then answers 429.
  const oldLogin = await page.request.post("/api/auth/sign-in/email", { data: { email: user.email, password: user.password }, headers: { origin: new URL(page.url()).origin } });
  expect(oldLogin.status()).toBe(401);

  const wrong = await account.deleteAccount("not the password");
  await expect(wrong.getByTestId("account-error")).toBeVisible();
  await wrong.getByTestId("account-cancel").click();
  const confirmed = await account.deleteAccount(newPassword);
  await expect(confirmed).toHaveCount(0);
  await expect(page).toHaveURL(/\/$/);
  await account.expectGuest();
  await expect(account.notice).toContainText("deleted");
  await expect(page.getByTestId("conversation-list-empty")).toBeVisible();
  expect((await page.request.get(`/api/conversations/${conversationId}`)).status()).toBe(404);
});
