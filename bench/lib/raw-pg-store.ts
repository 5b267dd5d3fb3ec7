import type pg from "pg";
import { newId } from "@/lib/session/ids";
import { ACTIVE_HEAD_SQL, PATH_ITEMS_SQL, toUsageTotals, usageTotalsSql, type RawItem, type RawUsage, type RawUsageTotals } from "./raw-store";

/** SQLite's positional `?` parameters as PostgreSQL's `$1, $2, …` (the bench's SQL has no `?` inside literals). */
export function numberedParameters(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

interface ActiveHead {
  branchId: string;
  headTurnId: string | null;
  depth: number | null;
}

const INSERT_TURN_SQL = `INSERT INTO "Turn" ("id", "conversationId", "parentId", "depth", "status", "itemCount", "createdAt")
  VALUES ($1, $2, $3, $4, 'completed', $5, $6)`;
const INSERT_ITEM_SQL = `INSERT INTO "Item" ("turnId", "position", "role", "type", "content") VALUES ($1, $2, $3, $4, $5)`;
const UPDATE_BRANCH_SQL = `UPDATE "Branch" SET "headTurnId" = $1, "updatedAt" = $2 WHERE "id" = $3`;

const USAGE_VALUES = ["model", "requests", "inputTokens", "cachedInputTokens", "outputTokens", "reasoningTokens", "costMicros", "inputPricePerMillion", "cachedPricePerMillion", "outputPricePerMillion", "createdAt"];

/** The usage insert: parameters are the turn id, the conversation id when the schema's usage rows carry it, then USAGE_VALUES. */
function insertUsageSql(withConversationId: boolean): string {
  const columns = ["turnId", ...(withConversationId ? ["conversationId"] : []), ...USAGE_VALUES];
  const parameters = columns.map((_, index) => `$${index + 1}`);
  return `INSERT INTO "TurnUsage" (${columns.map((column) => `"${column}"`).join(", ")}, "purpose", "estimated") VALUES (${parameters.join(", ")}, 'turn', false)`;
}

/** The PostgreSQL baseline: the statements of RawStore (`raw-store.ts`) on one raw `pg` connection, as named prepared statements. */
export class RawPgStore {
  readonly #client: pg.Client;
  readonly #usageHasConversationId: boolean;
  /** The SQL of `usageTotals`. */
  readonly usageTotalsSql: string;

  private constructor(client: pg.Client, usageHasConversationId: boolean) {
    this.#client = client;
    this.#usageHasConversationId = usageHasConversationId;
    this.usageTotalsSql = numberedParameters(usageTotalsSql(usageHasConversationId));
  }

  /** A store on `client`, following the schema it finds (whether usage rows carry their conversation id). */
  static async open(client: pg.Client): Promise<RawPgStore> {
    const found = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'TurnUsage' AND column_name = 'conversationId'`,
    );
    return new RawPgStore(client, (found.rowCount ?? 0) > 0);
  }

  async #query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<R[]> {
    return (await this.#client.query<R>({ name: `bench-${name}`, text, values })).rows;
  }

  /** The newest `limit` items of the conversation's active branch, oldest first, parsed like `getItems`. */
  async latestItems(conversationId: string, limit: number): Promise<unknown[]> {
    const [head] = await this.#query<ActiveHead>("active-head", numberedParameters(ACTIVE_HEAD_SQL), [conversationId]);
    if (!head?.headTurnId) return [];
    const rows = await this.#query<{ content: string }>("path-items", numberedParameters(PATH_ITEMS_SQL), [head.headTurnId, limit, limit]);
    return rows.reverse().map((row) => JSON.parse(row.content) as unknown);
  }

  /** The conversation's usage totals (`usageTotalsSql`). */
  async usageTotals(conversationId: string): Promise<RawUsageTotals> {
    const [row] = await this.#query<Record<string, unknown>>("usage-totals", this.usageTotalsSql, [conversationId]);
    return toUsageTotals(row);
  }

  /** One turn (its items, branch head and usage row) appended to the active branch in one transaction; the head read locks the conversation row. */
  async appendTurn(conversationId: string, items: RawItem[], usage: RawUsage): Promise<void> {
    await this.#client.query("BEGIN");
    try {
      const [head] = await this.#query<ActiveHead>("active-head-lock", `${numberedParameters(ACTIVE_HEAD_SQL)} FOR UPDATE OF c`, [conversationId]);
      if (!head) throw new Error(`conversation ${conversationId} not found`);
      const now = new Date().toISOString();
      const turnId = newId();
      await this.#query("insert-turn", INSERT_TURN_SQL, [turnId, conversationId, head.headTurnId, (head.depth ?? 0) + 1, items.length, now]);
      for (const [position, item] of items.entries()) await this.#query("insert-item", INSERT_ITEM_SQL, [turnId, position, item.role, item.type, item.content]);
      await this.#query("update-branch", UPDATE_BRANCH_SQL, [turnId, now, head.branchId]);
      await this.#query("insert-usage", insertUsageSql(this.#usageHasConversationId), [
        ...(this.#usageHasConversationId ? [turnId, conversationId] : [turnId]),
        usage.model,
        usage.requests,
        usage.inputTokens,
        usage.cachedInputTokens,
        usage.outputTokens,
        usage.reasoningTokens,
        usage.costMicros,
        usage.inputPricePerMillion,
        usage.cachedPricePerMillion,
        usage.outputPricePerMillion,
        now,
      ]);
      await this.#client.query("COMMIT");
    } catch (error) {
      await this.#client.query("ROLLBACK");
      throw error;
    }
  }
}
