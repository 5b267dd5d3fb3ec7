import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "../support/app-harness";
import { readEvents, type ParsedEvent } from "../support/sse-client";

// FORKLINE_MAX_REPLY_CHARS (lib/agent/reply-cap.ts): the runner cuts a reply at the cap, aborts the model request and
// ends the turn `stopped` with error `reply_capped`; every request carries a max output tokens bound.

const CAP = 50;
const CAPPED = { code: "reply_capped", message: "The reply was cut at 50 characters (FORKLINE_MAX_REPLY_CHARS)." };

type Routes = {
  conversations: typeof import("@/app/api/conversations/route");
  conversation: typeof import("@/app/api/conversations/[id]/route");
  turns: typeof import("@/app/api/conversations/[id]/turns/route");
};

type ShownTurn = { status: string; error: { code: string; message: string } | null; messages: { kind: string; text: string }[] };

const deltas = (events: ParsedEvent[]) => events.filter((event) => event.event === "text.delta").map((event) => String(event.data.delta)).join("");
// The first exchange of a conversation may also send `conversation.updated` (its title), which is beside the point here.
const names = (events: ParsedEvent[]) => [...new Set(events.map((event) => event.event))].filter((name) => name !== "conversation.updated");

for (const apiMode of ["responses", "chat_completions"] as const) {
  describe(`reply cap (${apiMode})`, () => {
    let h: Harness;
    let routes: Routes;

    beforeAll(async () => {
      h = await startHarness({ apiMode, env: { FORKLINE_MAX_REPLY_CHARS: String(CAP), FORKLINE_TITLES: "heuristic" } });
      routes = {
        conversations: await import("@/app/api/conversations/route"),
        conversation: await import("@/app/api/conversations/[id]/route"),
        turns: await import("@/app/api/conversations/[id]/turns/route"),
      };
    });
    afterAll(async () => {
      await h.close();
      delete process.env.FORKLINE_MAX_REPLY_CHARS;
      delete process.env.FORKLINE_TITLES;
    });

    async function newConversation(): Promise<string> {
      const response = await h.call(routes.conversations.POST, { body: {} });
      return ((await response.json()) as { conversation: { id: string } }).conversation.id;
    }

    async function turn(id: string, message: string): Promise<ParsedEvent[]> {
      const response = await h.call(routes.turns.POST, { params: { id }, body: { message } });
      expect(response.status).toBe(200);
      return readEvents(response);
    }

    async function shownTurns(id: string): Promise<ShownTurn[]> {
      const response = await h.call(routes.conversation.GET, { method: "GET", params: { id } });
      return ((await response.json()) as { conversation: { turns: ShownTurn[] } }).conversation.turns;
    }

    const sentMaxTokens = (index: number) => {
      const body = h.fake.requests[index]!.body as { max_output_tokens?: number; max_tokens?: number };
      return apiMode === "responses" ? body.max_output_tokens : body.max_tokens;
    };

    it("ends an endless stream on its own at the cap: exactly the cap is kept, the provider connection is closed, the turn is reply_capped", async () => {
      const id = await newConversation();
      h.fake.reset();
      const events = await turn(id, "talk forever [[reply:la di da]] [[endless]]");

      expect(names(events)).toEqual(["turn.started", "text.delta", "turn.stopped"]);
      expect(events.at(-1)!.data).toMatchObject({ error: CAPPED });
      const streamed = deltas(events);
      expect(streamed).toHaveLength(CAP);
      expect(streamed).toBe("la di da".repeat(10).slice(0, CAP));

      // The model request was aborted, so the fake server saw its connection closed mid-answer.
      expect(h.fake.requests).toHaveLength(1);
      await vi.waitFor(() => expect(h.fake.requests[0]!.disconnected).toBe(true), { timeout: 2_000 });

      const stored = await h.testDb.db.turn.findFirstOrThrow({ where: { conversationId: id }, include: { items: { orderBy: { position: "asc" } }, usage: true } });
      expect([stored.status, stored.errorCode, stored.errorMessage]).toEqual(["stopped", CAPPED.code, CAPPED.message]);
      expect(stored.items.map((item) => item.role)).toEqual(["user", "assistant"]);
      expect(JSON.parse(stored.items[1]!.content).content[0].text).toBe(streamed);
      // The cut call never reported usage: an estimated row covers it, as for a stopped call.
      expect(stored.usage.map((row) => [row.purpose, row.estimated, row.outputTokens > 0])).toEqual([["turn", true, true]]);

      const [shown] = await shownTurns(id);
      expect(shown).toMatchObject({ status: "stopped", error: CAPPED });
      expect(shown!.messages.filter((message) => message.kind === "assistant").map((message) => message.text)).toEqual([streamed]);
    });

    it("lets the branch go on after a capped turn, with the capped reply in the history", async () => {
      const id = await newConversation();
      await turn(id, "talk forever [[reply:la di da]] [[endless]]");
      h.fake.reset();
      const events = await turn(id, "thanks [[reply:You are welcome.]]");
      expect(names(events)).toEqual(["turn.started", "text.delta", "turn.completed"]);
      expect(deltas(events)).toBe("You are welcome.");
      expect(JSON.stringify(h.fake.requests[0]!.body)).toContain("la di da");
      const shown = await shownTurns(id);
      expect(shown.map((entry) => [entry.status, entry.error?.code ?? null])).toEqual([["stopped", "reply_capped"], ["completed", null]]);
    });

    it("leaves a reply below or at the cap unchanged", async () => {
      const id = await newConversation();
      const below = "Short and sweet.";
      const exact = "x".repeat(CAP - 9) + " the end.";
      expect(exact).toHaveLength(CAP);
      for (const reply of [below, exact]) {
        const events = await turn(id, `hi [[reply:${reply}]]`);
        expect(names(events)).toEqual(["turn.started", "text.delta", "turn.completed"]);
        expect(deltas(events)).toBe(reply);
      }
      const shown = await shownTurns(id);
      expect(shown.map((entry) => [entry.status, entry.error, entry.messages.find((message) => message.kind === "assistant")?.text])).toEqual([
        ["completed", null, below],
        ["completed", null, exact],
      ]);
    });

    it("always sends max output tokens: derived from the cap when the turn sets none", async () => {
      const id = await newConversation();
      h.fake.reset();
      await turn(id, "hello [[reply:Hi.]]");
      expect(h.fake.requests).toHaveLength(1);
      expect(sentMaxTokens(0)).toBe(Math.ceil(CAP / 4));
    });
  });
}
