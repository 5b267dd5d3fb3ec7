import { expect, test } from "@playwright/test";

// The conversation API sends a page of turns (50 by default): earlier ones load when the person asks for them.
const TURNS = 56;

test("a long conversation opens on its last turns and loads the earlier ones on request, down to the first message", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  const origin = new URL(page.url()).origin;
  const headers = { origin };
  await page.request.post("/api/me", { headers });
  const created = await page.request.post("/api/conversations", { data: { title: "A long one" }, headers });
  const id = ((await created.json()) as { conversation: { id: string } }).conversation.id;
  for (let n = 1; n <= TURNS; n++) {
    const turn = await page.request.post(`/api/conversations/${id}/turns`, { data: { message: `question ${n} [[reply:answer ${n}]]` }, headers });
    expect(await turn.text()).toContain("turn.completed");
  }

  await page.goto(`/c/${id}`);
  const users = page.locator('[data-testid="message"][data-role="user"]');
  await expect(users.last()).toContainText(`question ${TURNS}`);
  await expect(users).toHaveCount(50);
  await expect(users.first()).toContainText("question 7");
  const earlier = page.getByTestId("show-earlier");
  await expect(earlier).toHaveText("Show 6 earlier turns (6 hidden)");

  await earlier.click();
  await expect(users).toHaveCount(TURNS);
  await expect(users.first()).toContainText("question 1");
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').first()).toContainText("answer 1");
  await expect(earlier).toHaveCount(0);

  // A new turn keeps the earlier turns the person loaded.
  await page.getByTestId("message-input").fill("one more [[reply:still here]]");
  await page.getByTestId("send-button").click();
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').last()).toContainText("still here");
  await expect(page.getByTestId("chat")).not.toHaveAttribute("data-streaming", "true");
  await expect(users).toHaveCount(TURNS + 1);
  await expect(users.first()).toContainText("question 1");
});
