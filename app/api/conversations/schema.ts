import { z } from "zod";
import { env } from "@/lib/env";
import { PositiveInt4 } from "@/lib/validation/bounds";
import { BudgetMicros, SystemPrompt } from "../settings/schema";

/** PostgreSQL text cannot hold NUL; it is never meaningful in titles, names or search terms. */
const withoutNul = (value: string) => value.replaceAll("\u0000", "");

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "malformed id");
export type Id = z.infer<typeof Id>;

export const ConversationParams = z.object({ id: Id });
export const TurnParams = z.object({ id: Id, turnId: Id });
export const BranchParams = z.object({ id: Id, branchId: Id });

export const ListConversationsQuery = z.object({
  cursor: z.string().max(200).optional(),
  q: z.string().max(200).optional().transform((value) => (value ? withoutNul(value).trim() : "") || undefined),
});

const Title = z.string().transform(withoutNul).pipe(z.string().trim().min(1, "title must not be empty").max(200, "title is at most 200 characters"));
const BranchName = z.string().transform(withoutNul).pipe(z.string().trim().min(1, "name must not be empty").max(80, "name is at most 80 characters"));
const ModelId = z.string().min(1).max(200);

/** Turns sent by `GET /api/conversations/:id` when the request does not say. */
export const DEFAULT_TURN_PAGE = 50;

/** `?turns=N&before=T`: the last N turns of the active branch (at most 200), before turn number T when given. */
export const ConversationQuery = z.strictObject({
  turns: z.coerce.number().int().min(1, "turns is at least 1").max(200, "turns is at most 200").default(DEFAULT_TURN_PAGE),
  before: z.coerce.number().pipe(PositiveInt4("before")).optional(),
});

export const CreateConversationBody = z.strictObject({ title: Title.optional() });
export const UpdateConversationBody = z
  .strictObject({ title: Title.optional(), systemPrompt: SystemPrompt.optional(), budgetMicros: BudgetMicros.optional() })
  .refine((body) => body.title !== undefined || body.systemPrompt !== undefined || body.budgetMicros !== undefined, "give a title, a systemPrompt or a budgetMicros");

/** The message size limit comes from FORKLINE_MAX_MESSAGE_CHARS. */
export const StartTurnBody = () =>
  z.strictObject({
    message: z
      .string({ message: "message must be a string" })
      .refine((text) => text.trim().length > 0, "message must not be empty")
      .refine((text) => text.length <= env().FORKLINE_MAX_MESSAGE_CHARS, `message is longer than ${env().FORKLINE_MAX_MESSAGE_CHARS} characters`),
    branchId: Id.optional(),
    model: ModelId.optional(),
  });

/** The draft is bounded like a message, but may be empty (the composer asks while the user types). */
export const EstimateTurnBody = () =>
  z.strictObject({
    draft: z
      .string({ message: "draft must be a string" })
      .refine((text) => text.length <= env().FORKLINE_MAX_MESSAGE_CHARS, `draft is longer than ${env().FORKLINE_MAX_MESSAGE_CHARS} characters`),
    branchId: Id.optional(),
    model: ModelId.optional(),
  });

export const RegenerateBody = z.strictObject({ turnNumber: PositiveInt4("turnNumber"), model: ModelId.optional() });
export const ForkConversationBody = z.strictObject({ turnNumber: PositiveInt4("turnNumber"), inclusive: z.boolean().optional() });
export const CreateBranchBody = z.strictObject({
  fromTurn: PositiveInt4("fromTurn"),
  inclusive: z.boolean().optional(),
  name: BranchName.optional(),
  // The branch to fork (default: the active one), so two tabs editing the same turn each get their own branch.
  fromBranchId: Id.optional(),
});
export const UpdateBranchBody = z
  .strictObject({ name: BranchName.optional(), active: z.literal(true).optional() })
  .refine((body) => body.name !== undefined || body.active !== undefined, "give a name or active: true");
export const DeleteBranchQuery = z.object({ force: z.enum(["1", "true", "0", "false"]).optional() });

/** Bytes allowed for a turn body: the message limit in UTF-8 worst case plus envelope. */
export const turnBodyLimit = () => env().FORKLINE_MAX_MESSAGE_CHARS * 4 + 4096;
