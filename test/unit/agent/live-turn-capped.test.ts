import { describe, expect, it } from "vitest";
import { applyTurnEvent, type LiveTurn } from "@/lib/client/live-turn";

const streaming: LiveTurn = {
  key: 1,
  conversationId: "c1",
  turnNumber: 1,
  turnId: "t1",
  branchId: "b1",
  model: "m",
  userText: "hi",
  parts: [{ kind: "text", text: "long…" }],
  phase: "streaming",
  error: null,
  usage: null,
};

describe("applyTurnEvent turn.stopped", () => {
  it("keeps the reason of a turn the server cut (reply_capped), so the notice shows it", () => {
    const error = { code: "reply_capped", message: "The reply was cut at 50 characters (FORKLINE_MAX_REPLY_CHARS)." };
    expect(applyTurnEvent(streaming, { name: "turn.stopped", data: { turnId: "t1", usage: null, error } })).toMatchObject({ phase: "stopped", error, parts: streaming.parts });
  });

  it("has no error for a plain stop", () => {
    expect(applyTurnEvent(streaming, { name: "turn.stopped", data: { turnId: "t1", usage: null } })).toMatchObject({ phase: "stopped", error: null });
  });
});
