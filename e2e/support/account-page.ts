import { expect, type Locator, type Page } from "@playwright/test";

export interface Credentials {
  email: string;
  password: string;
}

/** The account area at the bottom of the sidebar, and its dialogs, as a person uses them. */
export class AccountPage {
  constructor(readonly page: Page) {}

  get area(): Locator {
    return this.page.getByTestId("account-area");
  }

  get guestBadge(): Locator {
    return this.page.getByTestId("account-guest-badge");
  }

  get nudge(): Locator {
    return this.page.getByTestId("account-nudge");
  }

  get notice(): Locator {
    return this.page.getByTestId("account-notice");
  }

  get menuButton(): Locator {
    return this.page.getByTestId("account-menu-button");
  }

  dialog(testId: "auth-dialog" | "change-password-dialog" | "delete-account-dialog"): Locator {
    return this.page.getByTestId(testId);
  }

  async expectGuest(): Promise<void> {
    await expect(this.guestBadge).toBeVisible();
    await expect(this.nudge).toHaveText("You are a guest — sign up to keep your chats");
    await expect(this.menuButton).toHaveCount(0);
  }

  async expectSignedIn(user: { name: string; email: string }): Promise<void> {
    await expect(this.menuButton).toBeVisible();
    await expect(this.page.getByTestId("account-name")).toHaveText(user.name);
    await expect(this.page.getByTestId("account-email")).toHaveText(user.email);
    await expect(this.guestBadge).toHaveCount(0);
  }

  /** Signs the current guest up; resolves once the account is shown. */
  async signUp(user: Credentials & { name: string }): Promise<void> {
    await this.page.getByTestId("account-sign-up").click();
    const dialog = this.dialog("auth-dialog");
    await dialog.getByLabel("Name").fill(user.name);
    await dialog.getByLabel("E-mail").fill(user.email);
    await dialog.getByLabel("Password").fill(user.password);
    await dialog.getByTestId("account-submit").click();
    await expect(dialog).toHaveCount(0);
    await expect(this.menuButton).toBeVisible();
  }

  /** Fills and submits the sign-in form; check the outcome with `expectSignedIn` or the dialog's error. */
  async submitSignIn(user: Credentials): Promise<Locator> {
    await this.page.getByTestId("account-sign-in").click();
    const dialog = this.dialog("auth-dialog");
    await dialog.getByLabel("E-mail").fill(user.email);
    await dialog.getByLabel("Password").fill(user.password);
    await dialog.getByTestId("account-submit").click();
    return dialog;
  }

  /** Signs in (the page starts afresh at home); resolves once the account is shown. */
  async signIn(user: Credentials): Promise<void> {
    await this.submitSignIn(user);
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.menuButton).toBeVisible();
  }

  async openMenu(): Promise<Locator> {
    const menu = this.page.getByTestId("account-menu");
    if (!(await menu.isVisible())) await this.menuButton.click();
    await expect(menu).toBeVisible();
    return menu;
  }

  /** Signs out; resolves once the page is home again with a guest. */
  async signOut(): Promise<void> {
    await (await this.openMenu()).getByTestId("account-sign-out").click();
    await expect(this.page).toHaveURL(/\/$/);
    await this.expectGuest();
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<Locator> {
    await (await this.openMenu()).getByTestId("account-change-password").click();
    const dialog = this.dialog("change-password-dialog");
    await dialog.getByLabel("Current password").fill(currentPassword);
    await dialog.getByLabel("New password").fill(newPassword);
    await dialog.getByTestId("account-submit").click();
    return dialog;
  }

  /** Opens the delete dialog and confirms with `password`; returns the dialog (gone when the deletion went through). */
  async deleteAccount(password: string): Promise<Locator> {
    await (await this.openMenu()).getByTestId("account-delete").click();
    const dialog = this.dialog("delete-account-dialog");
    await dialog.getByLabel("Password").fill(password);
    await dialog.getByTestId("account-submit").click();
    return dialog;
  }
}
