import { expect, type Locator, type Page } from "@playwright/test";

/** What a person sees and does on the chat screen. */
export class ChatPage {
  constructor(readonly page: Page) {}

  get input(): Locator {
    return this.page.getByTestId("message-input");
  }

  get chat(): Locator {
    return this.page.getByTestId("chat");
  }

  messages(role: "user" | "assistant"): Locator {
    return this.page.locator(`[data-testid="message"][data-role="${role}"]`);
  }

  message(role: "user" | "assistant", turnNumber: number): Locator {
    return this.page.locator(`[data-testid="message"][data-role="${role}"][data-turn-number="${turnNumber}"]`);
  }

  /** A stored turn (user message, answer, its actions and ‹ i / n › arrows). */
  turn(turnNumber: number): Locator {
    return this.page.locator(`[data-testid="turn"][data-turn-number="${turnNumber}"]:not([data-live="true"])`);
  }

  async open(path = "/"): Promise<void> {
    await this.page.goto(path);
    await expect(this.input).toBeVisible();
  }

  /** Starts a new conversation from the sidebar. */
  async newChat(): Promise<void> {
    await this.page.getByTestId("new-chat").click();
    await expect(this.messages("user")).toHaveCount(0);
  }

  /** Sends a message and waits until its reply finished streaming. */
  async send(text: string): Promise<void> {
    const before = await this.messages("assistant").count();
    await this.input.fill(text);
    await this.page.getByTestId("send-button").click();
    await expect(this.messages("assistant")).toHaveCount(before + 1);
    await this.waitIdle();
    await expect(this.page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  }

  async waitIdle(): Promise<void> {
    await expect(this.chat).not.toHaveAttribute("data-streaming", "true");
  }

  conversationId(): string {
    const match = /\/c\/([A-Za-z0-9_-]+)/.exec(this.page.url());
    if (!match) throw new Error(`not on a conversation page: ${this.page.url()}`);
    return match[1]!;
  }

  /** The stored conversation, read through the API with the page's cookies. */
  async stored(): Promise<{ activeBranchId: string; branches: { id: string; name: string; isCurrent: boolean; headTurnNumber: number }[]; turns: { number: number; status: string; messages: { kind: string; text: string }[] }[] }> {
    const response = await this.page.request.get(`/api/conversations/${this.conversationId()}`);
    expect(response.ok()).toBe(true);
    return (await response.json()).conversation;
  }

  async openBranchMenu(): Promise<Locator> {
    await this.page.getByTestId("branch-menu-button").click();
    const menu = this.page.getByTestId("branch-menu");
    await expect(menu).toBeVisible();
    return menu;
  }
}
