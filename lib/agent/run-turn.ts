import { Agent, run, Usage, type AgentInputItem } from "@openai/agents";
import type { TurnEventName, TurnEvents, UsageTotals } from "@/lib/api-types";
import { env } from "@/lib/env";
import { assistantMessage, itemText, toUsageCounts, type PrismaSession, type StartedTurn, type UsageCounts } from "@/lib/session";
import { describeModelError, isAbort, type TurnError } from "./model-errors";
import { modelFor } from "./model-provider";
import { runningTurns } from "./running-turns";
import { countTokens } from "./token-count";
import { builtInTools } from "./tools";
import { maybeTitleConversation } from "./title";

export type EmitTurnEvent = <E extends TurnEventName>(event: E, data: TurnEvents[E]) => void;

export interface RunTurnInput {
  session: PrismaSession;
  turn: StartedTurn;
  userItem: AgentInputItem;
  modelId: string;
  /** Aborts when the client goes away; closing the stream stops the turn. */
  signal?: AbortSignal;
  emit: EmitTurnEvent;
}

export const AGENT_INSTRUCTIONS =
  "You are Forkline's assistant. Answer clearly and concisely in Markdown. " +
  "Use the calculator tool for arithmetic and the current_time tool for the date or time.";

const STOP_POLL_MS = 500;

type Loose = Record<string, unknown>;

/** Per-model-call bookkeeping, so every call's usage is stored once (measured or estimated). */
class CallTracker {
  text = "";
  started = false;

  constructor(
    private readonly sent: AgentInputItem[],
    private readonly instructions: string,
  ) {}

  estimate(outputExtra = ""): UsageCounts {
    const inputText = [this.instructions, ...this.sent.map((item) => itemText(item) || JSON.stringify(item))].join("\n");
    return {
      requests: 1,
      inputTokens: countTokens(inputText),
      cachedInputTokens: 0,
      outputTokens: countTokens(this.text + outputExtra),
      reasoningTokens: 0,
    };
  }

  next(items: AgentInputItem[]): void {
    this.sent.push(...items);
    this.text = "";
    this.started = false;
  }
}

function toTotals(counts: UsageCounts | null, costMicros: number | null, estimated: boolean): UsageTotals | null {
  if (!counts) return null;
  return { ...counts, totalTokens: counts.inputTokens + counts.outputTokens, costMicros, estimated };
}

/**
 * Runs one agent turn that `beginTurn` already stored: streams events, stores every model output and tool output
 * as it completes, records usage per model call, and ends the turn completed, stopped or failed.
 */
export async function runTurn({ session, turn, userItem, modelId, signal, emit }: RunTurnInput): Promise<void> {
  const settings = env();
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener("abort", abort, { once: true });
  if (signal?.aborted) abort();
  runningTurns.register(turn.turnId, controller);
  const poll = setInterval(() => {
    session
      .heartbeat(turn.turnId)
      .then(({ stopRequested }) => stopRequested && abort())
      .catch(() => undefined);
  }, STOP_POLL_MS);

  let writes: Promise<void> = Promise.resolve();
  const persist = (items: AgentInputItem[]) => {
    writes = writes.then(() => session.appendToTurn(turn.turnId, items));
    return writes;
  };
  const recordUsage = (counts: UsageCounts, estimated: boolean) => {
    writes = writes.then(() => session.storeRunUsage(counts, { turnId: turn.turnId, model: modelId, estimated }));
    return writes;
  };

  emit("turn.started", { turnId: turn.turnId, turnNumber: turn.turnNumber, branchId: turn.branchId, model: modelId });

  const history = await session.historyBefore(turn.turnId, settings.FORKLINE_HISTORY_LIMIT);
  const input = [...history, userItem];
  const call = new CallTracker([...input], AGENT_INSTRUCTIONS);
  let replyText = "";
  const agent = new Agent({ name: "Forkline", instructions: AGENT_INSTRUCTIONS, model: modelFor(modelId), tools: builtInTools });

  try {
    const result = await run(agent, input, { stream: true, signal: controller.signal, maxTurns: settings.FORKLINE_MAX_AGENT_STEPS });
    for await (const event of result) {
      if (event.type === "raw_model_stream_event") {
        const data = event.data as Loose;
        if (data.type === "response_started") call.started = true;
        if (data.type === "output_text_delta" && typeof data.delta === "string") {
          call.started = true;
          call.text += data.delta;
          emit("text.delta", { delta: data.delta });
        }
        if (data.type === "response_done") {
          const response = data.response as { usage?: Loose; output?: AgentInputItem[] };
          const output = (response.output ?? []) as AgentInputItem[];
          const measured = response.usage ? toUsageCounts(new Usage({ ...response.usage, requests: 1 })) : null;
          const hasUsage = measured && (measured.inputTokens > 0 || measured.outputTokens > 0);
          const argumentsText = output.map((item) => String((item as unknown as Loose).arguments ?? "")).join("");
          void recordUsage(hasUsage ? measured : call.estimate(argumentsText), !hasUsage);
          const reply = output.filter((item) => (item as unknown as Loose).role === "assistant").map(itemText).join("");
          if (reply) replyText = reply;
          void persist(output);
          call.next(output);
        }
      } else if (event.type === "run_item_stream_event") {
        const raw = event.item.rawItem as Loose;
        if (event.name === "tool_called") {
          emit("tool.called", { callId: String(raw.callId ?? raw.id ?? ""), toolName: String(raw.name ?? raw.type ?? "tool"), arguments: String(raw.arguments ?? "") });
        } else if (event.name === "tool_output") {
          const item = event.item.rawItem as AgentInputItem;
          emit("tool.output", { callId: String(raw.callId ?? ""), output: itemText(item) });
          void persist([item]);
          call.next([item]);
        }
      }
    }
    await result.completed;
    if (result.error) throw result.error;
    if (controller.signal.aborted) throw Object.assign(new Error("stopped"), { name: "AbortError" });
    await writes;
    await session.finishTurn(turn.turnId, "completed");
    const usage = await turnTotals(session, turn.turnId);
    emit("turn.completed", { turnId: turn.turnId, usage, costMicros: usage?.costMicros ?? null });
    if (turn.turnNumber === 1) {
      const title = await maybeTitleConversation({ session, turnId: turn.turnId, userText: itemText(userItem), reply: replyText, modelId });
      if (title) emit("conversation.updated", { title });
    }
  } catch (error) {
    const stopped = controller.signal.aborted || isAbort(error);
    await writes.catch(() => undefined);
    if (call.text) await persist([assistantMessage(call.text)]).catch(() => undefined);
    if (call.started || call.text) await recordUsage(call.estimate(), true).catch(() => undefined);
    if (stopped) {
      await session.finishTurn(turn.turnId, "stopped");
      emit("turn.stopped", { turnId: turn.turnId, usage: await turnTotals(session, turn.turnId) });
    } else {
      const failure: TurnError = describeModelError(error);
      if (failure.code === "model_error") console.error("turn failed", error);
      await session.finishTurn(turn.turnId, "failed", failure);
      emit("turn.failed", { turnId: turn.turnId, error: failure });
    }
  } finally {
    clearInterval(poll);
    signal?.removeEventListener("abort", abort);
    runningTurns.unregister(turn.turnId);
  }
}

async function turnTotals(session: PrismaSession, turnId: string): Promise<UsageTotals | null> {
  const usage = await session.getUsageOfTurn(turnId);
  return usage ? toTotals(usage, usage.costMicros, usage.estimated) : null;
}
