import { expect, test } from "@playwright/test";

// Paths whose percent-encoding cannot be decoded answer 400, never a 5xx: JSON envelope for the API, a page otherwise.

const API_PATHS = ["/api/conversations/%ff", "/api/conversations/%C0%AF/usage", "/api/conversations/abc%", "/api/conversations/%E0%A4%A/branches"];
const PAGE_PATHS = ["/c/%ff", "/c/%C0%AF", "/c/abc%"];

for (const path of API_PATHS) {
  test(`GET ${path} answers 400 bad_path as JSON`, async ({ request }) => {
    for (const method of ["GET", "POST", "DELETE"] as const) {
      const response = await request.fetch(path, { method, headers: { "content-type": "application/json" }, data: method === "POST" ? "{}" : undefined });
      expect(response.status(), `${method} ${path}`).toBe(400);
      expect(response.headers()["content-type"]).toContain("application/json");
      expect(await response.json()).toEqual({ error: { code: "bad_path", message: expect.stringMatching(/percent-encoding/) } });
    }
  });
}

for (const path of PAGE_PATHS) {
  test(`GET ${path} answers a 400 page`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(400);
    expect(response.headers()["content-type"]).toContain("text/html");
    expect(await response.text()).toContain("Bad address");
  });
}

test("well-formed escapes still reach the app", async ({ request }) => {
  const response = await request.get("/api/conversations/%61bc");
  expect(response.status()).toBe(404);
  expect((await response.json()).error.code).toMatch(/not_found/);
});
