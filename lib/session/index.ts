// The advanced session: a conversation as a tree of turns behind the Agents SDK `Session` interface.
export { PrismaSession, TurnBoundSession, MAIN_BRANCH } from "./prisma-session";
export type { PrismaSessionOptions, StoreUsageOptions, ForkOptions } from "./prisma-session";
export * from "./errors";
export * from "./types";
export { itemText, itemMeta, isUserMessage, userMessage, assistantMessage } from "./item-meta";
export { toolKey } from "./tool-usage";
export { toUsageCounts, type UsageCounts, type UsageSource } from "./usage-counts";
