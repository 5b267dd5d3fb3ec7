import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type Response } from "@playwright/test";
import { ChatPage } from "./support/chat-page";

// Security headers on pages and the API, no CSP violation on the main pages, and remote images in replies that load
// only after a click (docs/security.md, "Browser hardening").

const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/** Collects CSP violations and console errors about the policy, across navigations. */
async function watchCsp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__cspViolation", (_source, text: string) => {
    problems.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      void (window as unknown as { __cspViolation(text: string): Promise<void> }).__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /content security policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}

function expectPageHeaders(response: Response | null): void {
  expect(response, "a document response").not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  // HSTS belongs to the https reverse proxy, never to a plain-http answer.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

test("pages and the API send security headers, and the main pages cause no CSP violation", async ({ page }) => {
  const problems = await watchCsp(page);
  const chat = new ChatPage(page);

  const home = await page.goto("/");
  expectPageHeaders(home);
  await expect(chat.input).toBeVisible();
  // A fresh nonce per request, and the theme bootstrap script carries it (otherwise the policy would block it).
  const again = await page.request.get("/");
  expect(again.headers()["content-security-policy"]).not.toBe(home!.headers()["content-security-policy"]);
  const scriptNonce = await page.evaluate(() => document.querySelector<HTMLScriptElement>("head script:not([src])")?.nonce ?? "");
  expect(home!.headers()["content-security-policy"]).toContain(`'nonce-${scriptNonce}'`);

  await chat.send("hello headers [[reply:**bold** and `code` and a [link](https://example.invalid/page)]]");
  const link = chat.message("assistant", 1).getByRole("link", { name: "link" });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  const conversation = await page.goto(`/c/${chat.conversationId()}`);
  expectPageHeaders(conversation);
  await expect(chat.message("assistant", 1)).toContainText("bold");

  const usage = await page.goto("/usage");
  expectPageHeaders(usage);
  await page.waitForLoadState("networkidle");

  const api = await page.request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["x-frame-options"]).toBe("DENY");

  expect(problems).toEqual([]);
});

test("a remote image in a reply is not fetched until the person clicks Load image", async ({ page }) => {
  const hits: string[] = [];
  const attacker = http.createServer((request, response) => {
    hits.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png", "content-length": PIXEL.length });
    response.end(PIXEL);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  const { port } = attacker.address() as AddressInfo;
  try {
    const problems = await watchCsp(page);
    const chat = new ChatPage(page);
    await chat.open();
    const url = `http://127.0.0.1:${port}/pixel.png?secret=s3cret`;
    await chat.send(`show me [[reply:Here it is ![tracking pixel](${url}) done]]`);

    const answer = chat.message("assistant", 1);
    const placeholder = answer.getByTestId("remote-image-placeholder");
    await expect(placeholder).toContainText("tracking pixel");
    await expect(placeholder).toContainText(`127.0.0.1:${port}`);
    await expect(answer.locator("img")).toHaveCount(0);
    // Still nothing after a reload (the stored reply renders the same way).
    await page.reload();
    await expect(answer.getByTestId("remote-image-placeholder")).toBeVisible();
    await page.waitForTimeout(500);
    expect(hits).toEqual([]);

    await answer.getByRole("button", { name: `Load image "tracking pixel" from 127.0.0.1:${port}` }).click();
    const image = answer.getByTestId("remote-image");
    await expect(image).toHaveAttribute("src", url);
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(1);
    expect(hits).toEqual(["/pixel.png?secret=s3cret"]);
    expect(problems).toEqual([]);
  } finally {
    await new Promise((resolve) => attacker.close(resolve));
  }
});
