import { describe, expect, it } from "vitest";
import { encode } from "gpt-tokenizer";
import { assistantMessage, userMessage } from "@/lib/session";
import { estimateInput } from "@/lib/usage/estimate";

describe("estimateInput", () => {
  const input = {
    instructions: "Be brief.",
    history: [userMessage("What is a tokenizer?"), assistantMessage("It splits text into tokens.")],
    userItem: userMessage("And emoji 🎉?"),
  };

  it("counts the instructions, every history item and the draft with o200k, one per line", () => {
    const expected = encode(["Be brief.", "What is a tokenizer?", "It splits text into tokens.", "And emoji 🎉?"].join("\n")).length;
    expect(estimateInput(input, "gpt-4.1").inputTokens).toBe(expected);
  });

  it("prices the input at the model's current input price, null when the model has none", () => {
    const { inputTokens, costMicros } = estimateInput(input, "gpt-4.1"); // $2.00 per 1M input tokens
    expect(costMicros).toBe(Math.round(inputTokens * 2));
    expect(estimateInput(input, "llama3.2").costMicros).toBeNull();
  });

  it("counts a tool call in the history too", () => {
    const call = { type: "function_call", callId: "c1", name: "calculator", arguments: '{"expression":"2+3"}', status: "completed" } as const;
    const withCall = estimateInput({ ...input, history: [...input.history, call] }, "gpt-4.1").inputTokens;
    expect(withCall - estimateInput(input, "gpt-4.1").inputTokens).toBeGreaterThanOrEqual(encode('{"expression":"2+3"}').length);
  });
});
