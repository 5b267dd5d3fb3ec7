import { z } from "zod";

/** The most output tokens a user may ask for; providers cap lower per model. */
export const MAX_OUTPUT_TOKENS_CAP = 128_000;
/** The longest system prompt a user or conversation may set. */
export const MAX_SYSTEM_PROMPT_CHARS = 8_000;

/** A system prompt as stored: NUL removed, blank → null (no prompt of its own). */
export const SystemPrompt = z
  .string({ message: "systemPrompt must be a string or null" })
  .max(MAX_SYSTEM_PROMPT_CHARS, `systemPrompt is at most ${MAX_SYSTEM_PROMPT_CHARS} characters`)
  .transform((value) => value.replaceAll("\u0000", ""))
  .transform((value) => (value.trim() === "" ? null : value))
  .nullable();

export const Theme = z.enum(["system", "light", "dark"], { message: 'theme is "system", "light" or "dark"' });
export type Theme = z.infer<typeof Theme>;

/** A spend cap in integer micro-dollars ($1 = 1,000,000), at most $2,000 so it fits every integer column; null = none. */
export const BudgetMicros = z
  .number({ message: "a budget must be a number of micro-dollars or null" })
  .int("a budget is a whole number of micro-dollars")
  .positive("a budget must be positive (null removes it)")
  .max(2_000_000_000, "a budget is at most 2,000,000,000 micro-dollars ($2,000)")
  .nullable();

export const UpdateSettingsBody = z.strictObject({
  monthlyBudgetMicros: BudgetMicros.optional(),
  theme: Theme.optional(),
  defaultModel: z.string().min(1).max(200).nullable().optional(),
  systemPrompt: SystemPrompt.optional(),
  temperature: z.number({ message: "temperature must be a number or null" }).min(0, "temperature is at least 0").max(2, "temperature is at most 2").nullable().optional(),
  maxOutputTokens: z
    .number({ message: "maxOutputTokens must be a number or null" })
    .int("maxOutputTokens must be a whole number")
    .positive("maxOutputTokens must be positive")
    .max(MAX_OUTPUT_TOKENS_CAP, `maxOutputTokens is at most ${MAX_OUTPUT_TOKENS_CAP}`)
    .nullable()
    .optional(),
});
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>;
