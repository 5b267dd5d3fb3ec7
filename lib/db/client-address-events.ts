import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "./index";

/** What a per-address limit counts (docs/security.md#anonymous-floods). */
export type ClientAddressEventKind = "guest" | "guest_turn";

/** Records that a client address created a guest or started a guest turn. */
export async function recordClientAddressEvent(args: {
  db: Db;
  addressKey: string;
  kind: ClientAddressEventKind;
  turnId?: string;
}): Promise<void> {
  await args.db.clientAddressEvent.create({
    data: { id: randomUUID(), addressKey: args.addressKey, kind: args.kind, turnId: args.turnId ?? null },
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

/** Micro-dollars spent by the guest turns an address started since `since` (unpriced calls count 0). */
export async function guestSpendSince(args: { db: Db; addressKey: string; since: Date }): Promise<number> {
  const spent = await args.db.turnUsage.aggregate({
    where: { turn: { addressEvents: { some: { addressKey: args.addressKey, kind: "guest_turn", createdAt: { gte: args.since } } } } },
    _sum: { costMicros: true },
  });
  return spent._sum.costMicros ?? 0;
}

/** Deletes events older than any limit looks back (the sweep calls it). */
export async function deleteClientAddressEventsBefore(args: { db: Db; before: Date }): Promise<number> {
  const result = await args.db.clientAddressEvent.deleteMany({ where: { createdAt: { lt: args.before } } });
  return result.count;
}
