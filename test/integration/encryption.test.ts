import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf } from "@/lib/crypto/content-cipher";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents } from "../support/sse-client";

// Encryption at rest through the HTTP API: a real turn (user message, streamed reply, tool call) stores no plaintext
// message content, and the API still answers with the plaintext. See docs/security.md.
const key = randomBytes(32);
const SECRET = "Quetzalcoatl-4417";

let h: Harness;
let routes: {
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
};

beforeAll(async () => {
  h = await startHarness({ env: { FORKLINE_ENCRYPTION_KEY: key.toString("base64"), FORKLINE_TITLES: "heuristic" } });
  routes = {
    conversations: await import("@/app/api/conversations/route"),
    conversation: await import("@/app/api/conversations/[id]/route"),
    turns: await import("@/app/api/conversations/[id]/turns/route"),
  };
});
afterAll(async () => {
  delete process.env.FORKLINE_ENCRYPTION_KEY;
  await h.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as Record<string, any>;

describe("encryption at rest (FORKLINE_ENCRYPTION_KEY set)", () => {
  it("stores turns without plaintext and serves them decrypted; message search cannot see them, title search can", async () => {
    const id = (await json(await h.call(routes.conversations.POST, { body: { title: "Travel plans" } }))).conversation.id as string;
    const message = `Please remember the code word, which is ${SECRET} [[reply:I will remember ${SECRET}.]]`;
    const events = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message } }));
    expect(events.at(-1)?.event).toBe("turn.completed");
    const tool = await readEvents(await h.call(routes.turns.POST, { params: { id }, body: { message: `add ${SECRET.length} [[tool:calculator:{"expression":"2+3"}]]` } }));
    expect(tool.map((event) => event.event)).toContain("turn.completed");

    const turns = await h.testDb.db.turn.findMany({ where: { conversationId: id }, include: { items: true } });
    const stored = turns.flatMap((turn) => turn.items.map((item) => item.content));
    expect(stored).toHaveLength(2 + 4);
    for (const value of stored) {
      expect(value).not.toContain(SECRET);
      expect(value).not.toContain("code word");
      expect(value).toMatch(new RegExp(`^enc:v1:${keyIdOf(key)}:${id}:`));
    }
    // What stays readable: the columns used for queries (roles, types, tool names) and the title.
    expect(turns.flatMap((turn) => turn.items.map((item) => item.toolName)).filter(Boolean)).toEqual(["calculator", "calculator"]);

    const detail = (await json(await h.call(routes.conversation.GET, { method: "GET", params: { id } }))).conversation;
    expect(detail.turns[0].messages[0]).toEqual({ kind: "user", text: message });
    expect(JSON.stringify(detail.turns[0].messages)).toContain(`I will remember ${SECRET}.`);

    const search = async (q: string) =>
      (await json(await h.call(routes.conversations.GET, { method: "GET", path: `/api/conversations?q=${encodeURIComponent(q)}` }))).conversations.map(
        (conversation: { id: string }) => conversation.id,
      );
    expect(await search(SECRET)).toEqual([]);
    expect(await search("travel")).toEqual([id]);
  });
});
