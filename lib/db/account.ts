import "server-only";
import type { Db } from "./create-client.ts";

/**
 * Deletes a user and everything they own in one transaction: their conversations (turns, items, branches and usage
 * cascade from them) and the user row, whose sessions, accounts and settings cascade from it.
 */
export async function deleteAccountData(args: { db: Db; userId: string }): Promise<{ conversations: number }> {
  return args.db.$transaction(async (tx) => {
    const conversations = await tx.conversation.deleteMany({ where: { userId: args.userId } });
    await tx.user.deleteMany({ where: { id: args.userId } });
    return { conversations: conversations.count };
  });
}
