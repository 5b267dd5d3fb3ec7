import type { Db } from "./create-client.ts";

/** A user's stored preferences (absent fields: never set). */
export interface UserSettingsRow {
  theme: string;
  defaultModel: string | null;
  systemPrompt: string | null;
  temperature: number | null;
  maxOutputTokens: number | null;
  monthlyBudgetMicros: number | null;
  updatedAt: Date;
}

export type UserSettingsPatch = Partial<Omit<UserSettingsRow, "updatedAt">>;

const SETTINGS_SELECT = { theme: true, defaultModel: true, systemPrompt: true, temperature: true, maxOutputTokens: true, monthlyBudgetMicros: true, updatedAt: true } as const;

/** A user's settings row, or null when they never saved any. */
export async function getUserSettings(args: { db: Db; userId: string }): Promise<UserSettingsRow | null> {
  return args.db.userSettings.findUnique({ where: { userId: args.userId }, select: SETTINGS_SELECT });
}

/** Writes the given fields of a user's settings (creating the row), leaving the others as they are. */
export async function saveUserSettings(args: { db: Db; userId: string; patch: UserSettingsPatch }): Promise<UserSettingsRow> {
  return args.db.userSettings.upsert({
    where: { userId: args.userId },
    create: { userId: args.userId, ...args.patch },
    update: args.patch,
    select: SETTINGS_SELECT,
  });
}

/** A user's conversation's own system prompt: undefined when the conversation is not theirs, null when it has none. */
export async function getConversationSystemPrompt(args: { db: Db; id: string; userId: string }): Promise<string | null | undefined> {
  const row = await args.db.conversation.findFirst({ where: { id: args.id, userId: args.userId }, select: { systemPrompt: true } });
  return row ? row.systemPrompt : undefined;
}

/** Sets (or with null clears) a user's conversation's system prompt; false when it is not theirs. */
export async function setConversationSystemPrompt(args: { db: Db; id: string; userId: string; systemPrompt: string | null }): Promise<boolean> {
  const result = await args.db.conversation.updateMany({ where: { id: args.id, userId: args.userId }, data: { systemPrompt: args.systemPrompt } });
  return result.count > 0;
}

/** A user's conversation's spend cap in micro-dollars: undefined when the conversation is not theirs, null when it has none. */
export async function getConversationBudget(args: { db: Db; id: string; userId: string }): Promise<number | null | undefined> {
  const row = await args.db.conversation.findFirst({ where: { id: args.id, userId: args.userId }, select: { budgetMicros: true } });
  return row ? row.budgetMicros : undefined;
}

/** Sets (or with null clears) a user's conversation's spend cap; false when it is not theirs. */
export async function setConversationBudget(args: { db: Db; id: string; userId: string; budgetMicros: number | null }): Promise<boolean> {
  const result = await args.db.conversation.updateMany({ where: { id: args.id, userId: args.userId }, data: { budgetMicros: args.budgetMicros } });
  return result.count > 0;
}

/** Gives a guest's settings to the account they sign up or in to, unless the account has its own already. */
export async function adoptGuestSettings(args: { db: Db; fromUserId: string; toUserId: string }): Promise<boolean> {
  const [guest, account] = await Promise.all([
    args.db.userSettings.findUnique({ where: { userId: args.fromUserId } }),
    args.db.userSettings.findUnique({ where: { userId: args.toUserId } }),
  ]);
  if (!guest || account) return false;
  const result = await args.db.userSettings.updateMany({ where: { userId: args.fromUserId }, data: { userId: args.toUserId } });
  return result.count === 1;
}
