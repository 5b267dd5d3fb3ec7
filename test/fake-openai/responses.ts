import { fakeEncryptedContent } from "./compaction";
import { inputItems, isRecord, textOf } from "./content";
import { beginExchange, sendFinal, type Exchange } from "./exchange";
import { newId, nowSeconds } from "./ids";
import { planReply, type Conversation, type Plan, type PlannedTextReply, type PlannedToolCall } from "./plan";
import {
  compactionItem,
  functionCallItem,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  responsesUsage,
  type ResponseHeader,
} from "./responses-objects";
import type { Script } from "./script";
import { openSse, sendDeltas, type SseWriter } from "./sse";

type Item = Record<string, unknown>;

type Emit = (type: string, fields: Item) => void;

type StreamContext = { exchange: Exchange; script: Script; sse: SseWriter; emit: Emit; output: Item[] };

/** The compaction item a `[[compaction]]` reply starts with, as server-side context management emits it. */
function plannedCompaction(script: Script, body: Record<string, unknown>): Item | undefined {
  if (!script.compaction) return undefined;
  return compactionItem(newId("cmp_"), script.compaction.encryptedContent ?? fakeEncryptedContent(body.input));
}

function readConversation(body: Record<string, unknown>): Conversation {
  const texts: string[] = typeof body.instructions === "string" ? [body.instructions] : [];
  let lastUserText = "";
  let lastToolOutput: string | undefined;
  for (const item of inputItems(body.input)) {
    if (!isRecord(item)) continue;
    if (item.type === "function_call_output") {
      lastToolOutput = textOf(item.output);
      texts.push(lastToolOutput);
    } else if (typeof item.role === "string") {
      const text = textOf(item.content);
      texts.push(text);
      if (item.role === "user") {
        lastUserText = text;
        lastToolOutput = undefined;
      }
    }
  }
  const conversation: Conversation = { lastUserText, inputText: texts.join("\n") };
  if (lastToolOutput !== undefined) conversation.lastToolOutput = lastToolOutput;
  return conversation;
}

function finalOutput(plan: Plan, compaction: Item | undefined): Item[] {
  const output: Item[] = compaction ? [compaction] : [];
  if (plan.reasoning !== undefined) output.push(reasoningItem(newId("rs_"), plan.reasoning));
  const { reply } = plan;
  if (reply.kind === "text") output.push(messageItem(newId("msg_"), "completed", [outputText(reply.text)]));
  else output.push(functionCallItem(newId("fc_"), reply, reply.arguments, "completed"));
  return output;
}

function streamItem({ emit, output }: StreamContext, item: Item): void {
  emit("response.output_item.added", { output_index: output.length, item });
  emit("response.output_item.done", { output_index: output.length, item });
  output.push(item);
}

function streamReasoning({ emit, output }: StreamContext, text: string): void {
  const id = newId("rs_");
  const at = { item_id: id, output_index: output.length, summary_index: 0 };
  emit("response.output_item.added", { output_index: at.output_index, item: reasoningItem(id, undefined) });
  emit("response.reasoning_summary_part.added", { ...at, part: { type: "summary_text", text: "" } });
  emit("response.reasoning_summary_text.delta", { ...at, delta: text });
  emit("response.reasoning_summary_text.done", { ...at, text });
  emit("response.reasoning_summary_part.done", { ...at, part: { type: "summary_text", text } });
  const item = reasoningItem(id, text);
  emit("response.output_item.done", { output_index: at.output_index, item });
  output.push(item);
}

async function streamMessage(context: StreamContext, reply: PlannedTextReply): Promise<boolean> {
  const { emit, output } = context;
  const id = newId("msg_");
  const at = { item_id: id, output_index: output.length, content_index: 0 };
  emit("response.output_item.added", { output_index: at.output_index, item: messageItem(id, "in_progress", []) });
  emit("response.content_part.added", { ...at, part: outputText("") });
  const finished = await sendDeltas(
    reply.chunks,
    context.script,
    context.sse,
    context.exchange.signal,
    (delta) => emit("response.output_text.delta", { ...at, delta, logprobs: [] }),
    "response.output_text.delta",
  );
  if (!finished) return false;
  emit("response.output_text.done", { ...at, text: reply.text, logprobs: [] });
  emit("response.content_part.done", { ...at, part: outputText(reply.text) });
  const item = messageItem(id, "completed", [outputText(reply.text)]);
  emit("response.output_item.done", { output_index: at.output_index, item });
  output.push(item);
  return true;
}

async function streamFunctionCall(context: StreamContext, call: PlannedToolCall): Promise<boolean> {
  const { emit, output } = context;
  const id = newId("fc_");
  const at = { item_id: id, output_index: output.length };
  emit("response.output_item.added", { output_index: at.output_index, item: functionCallItem(id, call, "", "in_progress") });
  const finished = await sendDeltas(
    [call.arguments],
    context.script,
    context.sse,
    context.exchange.signal,
    (delta) => emit("response.function_call_arguments.delta", { ...at, delta }),
    "response.function_call_arguments.delta",
  );
  if (!finished) return false;
  emit("response.function_call_arguments.done", { ...at, name: call.name, arguments: call.arguments });
  const item = functionCallItem(id, call, call.arguments, "completed");
  emit("response.output_item.done", { output_index: at.output_index, item });
  output.push(item);
  return true;
}

async function streamResponse(
  exchange: Exchange,
  script: Script,
  plan: Plan,
  header: ResponseHeader,
  compaction: Item | undefined,
): Promise<void> {
  const sse = openSse(exchange.res);
  let sequence = 0;
  const emit: Emit = (type, fields) => sse.send({ type, sequence_number: sequence++, ...fields }, type);
  const context: StreamContext = { exchange, script, sse, emit, output: [] };
  emit("response.created", { response: responseObject(header, "in_progress", [], null) });
  emit("response.in_progress", { response: responseObject(header, "in_progress", [], null) });
  if (compaction) streamItem(context, compaction);
  if (plan.reasoning !== undefined) streamReasoning(context, plan.reasoning);
  const finished =
    plan.reply.kind === "text"
      ? await streamMessage(context, plan.reply)
      : await streamFunctionCall(context, plan.reply);
  if (!finished) return;
  const usage = responsesUsage(plan.usage);
  emit("response.completed", { response: responseObject(header, "completed", context.output, usage) });
  sse.end();
}

/** Answers `POST /v1/responses`, streaming (SSE) or not, as the request's markers script it. */
export async function handleResponses(exchange: Exchange): Promise<void> {
  const conversation = readConversation(exchange.body);
  const script = await beginExchange(exchange, conversation.lastUserText);
  if (!script) return;
  const plan = planReply(script, conversation);
  const header: ResponseHeader = { id: newId("resp_"), createdAt: nowSeconds(), request: exchange.body };
  const compaction = plannedCompaction(script, exchange.body);
  if (exchange.body.stream === true) {
    await streamResponse(exchange, script, plan, header, compaction);
    return;
  }
  sendFinal(exchange, script, responseObject(header, "completed", finalOutput(plan, compaction), responsesUsage(plan.usage)));
}
