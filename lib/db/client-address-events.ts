import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "./index";
import { knownSpendSince } from "./ledger.ts";

/** What a per-address limit counts (docs/security.md#anonymous-floods). */
export type ClientAddressEventKind = "guest" | "guest_turn";

/** Records that a client address created a guest or started a guest turn. */
export async function recordClientAddressEvent(args: {
  db: Db;
  addressKey: string;
  kind: ClientAddressEventKind;
  turnId?: string;
  userId?: string;
}): Promise<void> {
  await args.db.clientAddressEvent.create({
    data: { id: randomUUID(), addressKey: args.addressKey, kind: args.kind, turnId: args.turnId ?? null, userId: args.userId ?? null },
  });
}

/** The times of an address's events of one kind since `since`, oldest first, at most `limit` of the newest. */
export async function recentClientAddressEvents(args: {
  db: Db;
  addressKey: string;
  kind: ClientAddressEventKind;
  since: Date;
  limit: number;
}): Promise<Date[]> {
  const rows = await args.db.clientAddressEvent.findMany({
    where: { addressKey: args.addressKey, kind: args.kind, createdAt: { gte: args.since } },
    select: { createdAt: true },
    orderBy: { createdAt: "desc" },
    take: args.limit,
  });
  return rows.map((row) => row.createdAt).reverse();
}

/**
 * Known micro-dollars the guests who started turns from an address have spent since `since`, read from the ledger so
 * deleting a conversation does not give the budget back (unpriced calls count 0).
 */
export async function guestSpendSince(args: { db: Db; addressKey: string; since: Date }): Promise<number> {
  const guests = await args.db.clientAddressEvent.findMany({
    where: { addressKey: args.addressKey, kind: "guest_turn", createdAt: { gte: args.since }, userId: { not: null } },
    select: { userId: true },
    distinct: ["userId"],
  });
  return knownSpendSince({ db: args.db, userIds: guests.map((row) => row.userId!), since: args.since });
}

/** Deletes events older than any limit looks back (the sweep calls it). */
export async function deleteClientAddressEventsBefore(args: { db: Db; before: Date }): Promise<number> {
  const result = await args.db.clientAddressEvent.deleteMany({ where: { createdAt: { lt: args.before } } });
  return result.count;
}
