import { Agent, run, Usage, type AgentInputItem } from "@openai/agents";
import type { TurnEventName, TurnEvents, UsageTotals } from "@/lib/api-types";
import { env } from "@/lib/env";
import { toTotals } from "@/lib/usage/totals";
import { assistantMessage, itemText, toUsageCounts, type PrismaSession, type StartedTurn, type UsageCounts } from "@/lib/session";
import type { TurnSettings } from "@/lib/session/turn-lifecycle";
import { describeModelError, isAbort, type TurnError } from "./model-errors";
import { maxOutputTokens, ReplyCap } from "./reply-cap";

const withMaxTokens = (maxTokens: number | undefined) => (maxTokens === undefined ? {} : { maxTokens });
import { recordProviderOutcome } from "./provider-health";
import { modelFor } from "./model-provider";
import { runningTurns } from "./running-turns";
import { countInputTokens, countTokens } from "./token-count";
import { builtInTools } from "./tools";
import { replayTurnSettings } from "./turn-settings";
import { maybeTitleConversation } from "./title";

export type EmitTurnEvent = <E extends TurnEventName>(event: E, data: TurnEvents[E]) => void;

export interface RunTurnInput {
  session: PrismaSession;
  turn: StartedTurn;
  userItem: AgentInputItem;
  modelId: string;
  /** The system prompt and sampling settings to send, as recorded on the turn by `beginTurn` (default: the built-in instructions). */
  settings?: TurnSettings;
  /** Aborts when the client goes away; closing the stream stops the turn. */
  signal?: AbortSignal;
  emit: EmitTurnEvent;
}

export { AGENT_INSTRUCTIONS } from "./turn-settings";

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
    return {
      requests: 1,
      inputTokens: countInputTokens(this.instructions, this.sent),
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

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts (a stop during a retry's wait). */
function backoff(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(Object.assign(new Error("stopped"), { name: "AbortError" }));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(Object.assign(new Error("stopped"), { name: "AbortError" }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Thrown when a started response sent nothing for FORKLINE_MODEL_TIMEOUT_MS. */
class ModelStalledError extends Error {
  override name = "ModelStalledError";
}

/**
 * Runs one agent turn that `beginTurn` already stored: streams events, stores every model output and tool output
 * as it completes, records usage per model call, and ends the turn completed, stopped or failed.
 *
 * Retries: the OpenAI client retries a request that failed before its response started (429 honouring
 * Retry-After, 5xx, timeouts, connection errors; FORKLINE_MODEL_MAX_RETRIES times). Here, a response that started
 * and then broke or stalled is run again only while nothing of it was shown or stored; once text was streamed
 * the partial answer is kept and the turn fails (docs/security.md, "Failure safety").
 */
export async function runTurn({ session, turn, userItem, modelId, settings: turnSettings = replayTurnSettings(null), signal, emit }: RunTurnInput): Promise<void> {
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

  const instructions = turnSettings.instructions ?? "";
  // Set inside the try below: reading history or building the agent can throw (a database error, a changed key),
  // and the turn must still end failed, with its heartbeat stopped, rather than stay in_progress.
  let input: AgentInputItem[] = [userItem];
  let agent: Agent;
  let call = new CallTracker([...input], instructions);
  let replyText = "";
  const cap = new ReplyCap(settings.FORKLINE_MAX_REPLY_CHARS);
  /** Something of this turn was shown (text, a tool call) or stored: from then on it is never run again. */
  let produced = false;

  /** One run of the agent; a started response that goes silent for the model timeout is aborted as stalled. */
  const attempt = async () => {
    const attemptController = new AbortController();
    const stopAttempt = () => attemptController.abort();
    controller.signal.addEventListener("abort", stopAttempt, { once: true });
    if (controller.signal.aborted) stopAttempt();
    let stalled = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const watch = (armed: boolean) => {
      clearTimeout(watchdog);
      if (!armed) return;
      watchdog = setTimeout(() => {
        stalled = true;
        attemptController.abort();
      }, settings.FORKLINE_MODEL_TIMEOUT_MS);
    };
    try {
      const result = await run(agent, input, { stream: true, signal: attemptController.signal, maxTurns: settings.FORKLINE_MAX_AGENT_STEPS });
      for await (const event of result) {
        if (event.type === "raw_model_stream_event") {
          const data = event.data as Loose;
          // Until the response is done the model owes us data; tools run locally afterwards, unwatched.
          watch(data.type !== "response_done");
          if (data.type === "response_started") call.started = true;
          if (data.type === "output_text_delta" && typeof data.delta === "string") {
            call.started = true;
            const delta = cap.take(data.delta);
            call.text += delta;
            produced = true;
            if (delta) emit("text.delta", { delta });
            // Aborting the request closes the provider's connection, so it stops generating too.
            if (cap.capped) {
              attemptController.abort();
              break;
            }
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
            produced = true;
            void persist(output);
            call.next(output);
          }
        } else if (event.type === "run_item_stream_event") {
          const raw = event.item.rawItem as Loose;
          if (event.name === "tool_called") {
            produced = true;
            emit("tool.called", { callId: String(raw.callId ?? raw.id ?? ""), toolName: String(raw.name ?? raw.type ?? "tool"), arguments: String(raw.arguments ?? "") });
          } else if (event.name === "tool_output") {
            const item = event.item.rawItem as AgentInputItem;
            produced = true;
            emit("tool.output", { callId: String(raw.callId ?? ""), output: itemText(item) });
            void persist([item]);
            call.next([item]);
          }
        }
      }
      await result.completed;
      if (result.error) throw result.error;
      if (attemptController.signal.aborted) throw Object.assign(new Error("stopped"), { name: "AbortError" });
    } catch (error) {
      if (stalled && !controller.signal.aborted) throw new ModelStalledError("the model stopped sending");
      throw error;
    } finally {
      watch(false);
      controller.signal.removeEventListener("abort", stopAttempt);
    }
  };

  try {
    input = [...(await session.historyBefore(turn.turnId, settings.FORKLINE_HISTORY_LIMIT)), userItem];
    call = new CallTracker([...input], instructions);
    agent = new Agent({
      name: "Forkline",
      instructions,
      model: modelFor(modelId),
      modelSettings: {
        ...(turnSettings.temperature === null ? {} : { temperature: turnSettings.temperature }),
        ...withMaxTokens(maxOutputTokens(turnSettings.maxOutputTokens, settings)),
      },
      tools: builtInTools,
    });
    for (let retry = 0; ; retry += 1) {
      try {
        await attempt();
        break;
      } catch (error) {
        const stopped = controller.signal.aborted || (isAbort(error) && !(error instanceof ModelStalledError));
        if (stopped || produced || retry >= settings.FORKLINE_MODEL_MAX_RETRIES || !isRetryableAfterStart(error)) throw error;
        // Nothing was shown or stored: run the call again, after the usage the broken attempt may have cost.
        if (call.started) await recordUsage(call.estimate(), true).catch(() => undefined);
        call = new CallTracker([...input], instructions);
        await backoff(retryDelayMs(retry), controller.signal);
      }
    }
    await writes;
    recordProviderOutcome(null);
    await session.finishTurn(turn.turnId, "completed");
    const usage = await turnTotals(session, turn.turnId);
    emit("turn.completed", { turnId: turn.turnId, usage, costMicros: usage?.costMicros ?? null });
    if (turn.turnNumber === 1) {
      const title = await maybeTitleConversation({ session, turnId: turn.turnId, userText: itemText(userItem), reply: replyText, modelId });
      if (title) emit("conversation.updated", { title });
    }
  } catch (error) {
    const stopped = controller.signal.aborted || (isAbort(error) && !(error instanceof ModelStalledError));
    await writes.catch(() => undefined);
    if (call.text) await persist([assistantMessage(call.text)]).catch(() => undefined);
    if (call.started || call.text) await recordUsage(call.estimate(), true).catch(() => undefined);
    if (cap.capped && !controller.signal.aborted) {
      await session.finishTurn(turn.turnId, "stopped", cap.error());
      emit("turn.stopped", { turnId: turn.turnId, usage: await turnTotals(session, turn.turnId), error: cap.error() });
    } else if (stopped) {
      await session.finishTurn(turn.turnId, "stopped");
      emit("turn.stopped", { turnId: turn.turnId, usage: await turnTotals(session, turn.turnId) });
    } else {
      const failure: TurnError = error instanceof ModelStalledError ? stalledError(settings.FORKLINE_MODEL_TIMEOUT_MS) : describeModelError(error);
      if (failure.code === "model_error") console.error("turn failed", error);
      recordProviderOutcome(failure.code);
      await session.finishTurn(turn.turnId, "failed", failure);
      emit("turn.failed", { turnId: turn.turnId, error: failure });
    }
  } finally {
    clearInterval(poll);
    signal?.removeEventListener("abort", abort);
    runningTurns.unregister(turn.turnId);
  }
}

/** Failures of a response that already started, which the OpenAI client cannot retry itself. */
function isRetryableAfterStart(error: unknown): boolean {
  if (error instanceof ModelStalledError) return true;
  return describeModelError(error).code === "model_stream_broken";
}

/** Like the OpenAI client's backoff: 0.5 s doubling to 8 s, with up to 25 % jitter off. */
function retryDelayMs(retry: number): number {
  return Math.min(500 * 2 ** retry, 8_000) * (1 - Math.random() * 0.25);
}

function stalledError(timeoutMs: number): TurnError {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return { code: "model_timeout", message: `The model stopped sending its answer (nothing for ${seconds} s). Try again, or pick another model.` };
}

async function turnTotals(session: PrismaSession, turnId: string): Promise<UsageTotals | null> {
  const usage = await session.getUsageOfTurn(turnId);
  return usage ? toTotals(usage) : null;
}
