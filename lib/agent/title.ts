import { env } from "@/lib/env";
import type { PrismaSession, UsageCounts } from "@/lib/session";
import { isDemoMode } from "./model-catalog";
import { openaiClient } from "./model-provider";

const TITLE_INSTRUCTIONS =
  "Write a title of at most six words for a chat that starts with the user's message below. " +
  "Reply with the title only: no quotes, no trailing punctuation.";
const MAX_TITLE_CHARS = 80;

/** A title from the first words of the user's message (used offline and when the title call fails). */
export function heuristicTitle(userText: string): string {
  const firstLine = userText.replace(/[`*_#>[\]()]/g, " ").split("\n").find((line) => line.trim()) ?? "";
  const words = firstLine.trim().split(/\s+/).slice(0, 8).join(" ");
  return cleanTitle(words) || "New chat";
}

function cleanTitle(raw: string): string {
  const title = raw
    .trim()
    .replace(/^["'“”]+|["'“”.]+$/g, "")
    .replace(/\s+/g, " ")
    .replace(/ ([,.;:!?])/g, "$1");
  return title.length > MAX_TITLE_CHARS ? `${title.slice(0, MAX_TITLE_CHARS - 1)}…` : title;
}

async function titleFromModel(model: string, userText: string): Promise<{ title: string; usage: UsageCounts | null }> {
  const client = openaiClient();
  const input = userText.slice(0, 2_000);
  if (env().OPENAI_API_MODE === "chat_completions") {
    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: "system", content: TITLE_INSTRUCTIONS },
        { role: "user", content: input },
      ],
      max_tokens: 24,
    });
    const usage = completion.usage;
    return {
      title: completion.choices[0]?.message.content ?? "",
      usage: usage
        ? {
            requests: 1,
            inputTokens: usage.prompt_tokens,
            cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
            outputTokens: usage.completion_tokens,
            reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
          }
        : null,
    };
  }
  const response = await client.responses.create({ model, instructions: TITLE_INSTRUCTIONS, input, max_output_tokens: 24, store: false });
  const usage = response.usage;
  return {
    title: response.output_text ?? "",
    usage: usage
      ? {
          requests: 1,
          inputTokens: usage.input_tokens,
          cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
          outputTokens: usage.output_tokens,
          reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
        }
      : null,
  };
}

/**
 * Titles a conversation after its first exchange if it has no title yet; a model call's usage is charged to the
 * first turn (purpose "title"). Returns the new title, or null when the conversation already had one.
 */
export async function maybeTitleConversation(args: {
  session: PrismaSession;
  turnId: string;
  userText: string;
  reply: string;
  modelId: string;
}): Promise<string | null> {
  if (await args.session.hasTitle()) return null;
  let title = heuristicTitle(args.userText);
  if (!isDemoMode() && env().FORKLINE_TITLES === "model") {
    const model = env().FORKLINE_TITLE_MODEL ?? args.modelId;
    try {
      const answer = await titleFromModel(model, args.userText);
      if (answer.usage) await args.session.storeRunUsage(answer.usage, { turnId: args.turnId, model, purpose: "title" });
      title = cleanTitle(answer.title) || title;
    } catch {
      // The heuristic title stands; a failed title call never fails the turn.
    }
  }
  return (await args.session.setTitleIfUnset(title)) ? title : null;
}
