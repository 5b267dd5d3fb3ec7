import { isRecord, textOf } from "./content";
import { beginExchange, sendFinal, type Exchange } from "./exchange";
import { newId, nowSeconds } from "./ids";
import { planReply, type Conversation, type Plan, type PlannedToolCall, type PlannedUsage } from "./plan";
import type { Script } from "./script";
import { openSse, sendDeltas } from "./sse";

type Item = Record<string, unknown>;

type CompletionHeader = { id: string; created: number; model: string };

function readConversation(body: Record<string, unknown>): Conversation {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const texts: string[] = [];
  let lastUserText = "";
  let lastToolOutput: string | undefined;
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const text = textOf(message.content);
    texts.push(text);
    if (message.role === "user") {
      lastUserText = text;
      lastToolOutput = undefined;
    } else if (message.role === "tool") {
      lastToolOutput = text;
    }
  }
  const conversation: Conversation = { lastUserText, inputText: texts.join("\n") };
  if (lastToolOutput !== undefined) conversation.lastToolOutput = lastToolOutput;
  return conversation;
}

function toolCall(call: PlannedToolCall): Item {
  return { id: call.callId, type: "function", function: { name: call.name, arguments: call.arguments } };
}

function chatUsage(usage: PlannedUsage): Item {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.total,
    prompt_tokens_details: { cached_tokens: usage.cached },
    completion_tokens_details: { reasoning_tokens: usage.reasoning },
  };
}

function completion(header: CompletionHeader, plan: Plan): Item {
  const { reply } = plan;
  const message =
    reply.kind === "text"
      ? { role: "assistant", content: reply.text, refusal: null }
      : { role: "assistant", content: null, refusal: null, tool_calls: [toolCall(reply)] };
  return {
    id: header.id,
    object: "chat.completion",
    created: header.created,
    model: header.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.kind === "text" ? "stop" : "tool_calls" }],
    ...(plan.usage ? { usage: chatUsage(plan.usage) } : {}),
  };
}

function chunk(header: CompletionHeader, choices: Item[], extra: Item = {}): Item {
  return { id: header.id, object: "chat.completion.chunk", created: header.created, model: header.model, choices, ...extra };
}

function choice(delta: Item, finishReason: string | null = null): Item {
  return { index: 0, delta, logprobs: null, finish_reason: finishReason };
}

function wantsUsage(body: Record<string, unknown>): boolean {
  return isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

async function streamCompletion(exchange: Exchange, script: Script, plan: Plan, header: CompletionHeader): Promise<void> {
  const sse = openSse(exchange.res);
  const { reply } = plan;
  let finished: boolean;
  if (reply.kind === "text") {
    const deltas = reply.chunks.length > 0 ? reply.chunks : [""];
    let first = true;
    finished = await sendDeltas(deltas, script, sse, exchange.signal, (content) => {
      sse.send(chunk(header, [choice(first ? { role: "assistant", content } : { content })]));
      first = false;
    });
  } else {
    const call = { ...toolCall(reply), index: 0 };
    finished = await sendDeltas([reply.arguments], script, sse, exchange.signal, () => {
      sse.send(chunk(header, [choice({ role: "assistant", content: null, tool_calls: [call] })]));
    });
  }
  if (!finished) return;
  sse.send(chunk(header, [choice({}, reply.kind === "text" ? "stop" : "tool_calls")]));
  if (plan.usage && wantsUsage(exchange.body)) sse.send(chunk(header, [], { usage: chatUsage(plan.usage) }));
  sse.send("[DONE]");
  sse.end();
}

/** Answers `POST /v1/chat/completions`, streaming (SSE) or not, as the request's markers script it. */
export async function handleChatCompletions(exchange: Exchange): Promise<void> {
  const conversation = readConversation(exchange.body);
  const script = await beginExchange(exchange, conversation.lastUserText);
  if (!script) return;
  const plan = planReply(script, conversation);
  const model = typeof exchange.body.model === "string" ? exchange.body.model : "fake-model";
  const header: CompletionHeader = { id: newId("chatcmpl-"), created: nowSeconds(), model };
  if (exchange.body.stream === true) {
    await streamCompletion(exchange, script, plan, header);
    return;
  }
  sendFinal(exchange, script, completion(header, plan));
}
