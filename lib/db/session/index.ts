// The session's SQL: every statement PrismaSession runs, as object-argument functions over a `Sql` connection.
export * from "./conversations.ts";
export * from "./history-operations.ts";
export * from "./paths.ts";
export * from "./rows.ts";
export * from "./turns.ts";
export * from "./usage.ts";
export { sqlStoreFor, type Sql, type SqlStore } from "../sql-store.ts";
export { isBusyError, retryOnBusy, busyRetryStats } from "../busy-retry.ts";
