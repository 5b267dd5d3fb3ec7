import "server-only";
import type { Db } from "./create-client.ts";
import { deleteLedgerOf, transferLedger } from "./ledger.ts";

/**
 * Deletes a user and everything they own in one transaction: their conversations (turns, items and branches cascade
 * from them), their usage ledger (which outlives deleted conversations, not the account) and the user row, whose
 * sessions, accounts and settings cascade from it.
 */
export async function deleteAccountData(args: { db: Db; userId: string }): Promise<{ conversations: number }> {
  return args.db.$transaction(async (tx) => {
    const conversations = await tx.conversation.deleteMany({ where: { userId: args.userId } });
    await deleteLedgerOf({ db: tx, userIds: [args.userId] });
    await tx.user.deleteMany({ where: { id: args.userId } });
    return { conversations: conversations.count };
  });
}

/**
 * Hands every conversation of one user, and what they spent, to another in one transaction (a guest who signs up or
 * signs in keeps their chats and their ledger); returns how many conversations moved.
 */
export async function transferConversations(args: { db: Db; fromUserId: string; toUserId: string }): Promise<number> {
  return args.db.$transaction(async (tx) => {
    const result = await tx.conversation.updateMany({ where: { userId: args.fromUserId }, data: { userId: args.toUserId } });
    await transferLedger({ db: tx, fromUserId: args.fromUserId, toUserId: args.toUserId });
    // The address limits find a guest's spend through these events: they follow the ledger, or signing in would
    // give the address's daily spend cap back.
    await tx.clientAddressEvent.updateMany({ where: { userId: args.fromUserId }, data: { userId: args.toUserId } });
    return result.count;
  });
}
