import type { Db } from "./create-client.ts";
import type { DatabaseProvider } from "./database-url.ts";
import type { NativeSqlite, Row } from "./native-sqlite.ts";

export type { Row } from "./native-sqlite.ts";

/** Plain SQL on one connection or inside one transaction; statements use `?` placeholders on every provider. */
export interface Sql {
  readonly provider: DatabaseProvider;
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Serialises writers of one conversation until the transaction ends (a row lock, or SQLite's write lock). */
  lockConversation(id: string): Promise<void>;
}

/** The session's access to a database: single statements, and write transactions. */
export interface SqlStore extends Sql {
  /** One write transaction; on SQLite it holds the write lock from its first statement (BEGIN IMMEDIATE). */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

/** Native SQLite handles of the clients `createDbClient` built, filled in when Prisma connects. */
const nativeHandles = new WeakMap<Db, { native?: NativeSqlite }>();

/** Called by `createDbClient` so the session can reach the connection under a SQLite client. */
export function registerNativeSqlite(db: Db): (native: NativeSqlite) => void {
  const holder: { native?: NativeSqlite } = {};
  nativeHandles.set(db, holder);
  return (native) => {
    holder.native = native;
  };
}

const pgPlaceholders = new Map<string, string>();

/** `?` → `$n` outside quoted text, so one statement serves both providers. */
function toPostgres(sql: string): string {
  let converted = pgPlaceholders.get(sql);
  if (converted) return converted;
  let n = 0;
  let quote: string | null = null;
  converted = "";
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      converted += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      converted += char;
    } else {
      converted += char === "?" ? `$${++n}` : char;
    }
  }
  pgPlaceholders.set(sql, converted);
  return converted;
}

type RawClient = Pick<Db, "$queryRawUnsafe" | "$executeRawUnsafe">;

function prismaSql(client: RawClient, provider: DatabaseProvider, inTransaction: boolean): Sql {
  const text = (sql: string) => (provider === "postgres" ? toPostgres(sql) : sql);
  return {
    provider,
    all: (sql, params = []) => client.$queryRawUnsafe<Row[]>(text(sql), ...params),
    run: (sql, params = []) => client.$executeRawUnsafe(text(sql), ...params),
    async lockConversation(id) {
      if (!inTransaction) return;
      if (provider === "postgres") await client.$queryRawUnsafe(toPostgres(`SELECT 1 FROM "Conversation" WHERE "id" = ? FOR UPDATE`), id);
      // A no-op write makes SQLite take the write lock (waiting up to the busy timeout) before any read.
      else await client.$executeRawUnsafe(`UPDATE "Conversation" SET "userId" = "userId" WHERE "id" = ?`, id);
    },
  };
}

function nativeSql(native: NativeSqlite): Sql {
  return {
    provider: "sqlite",
    all: async (sql, params = []) => native.all(sql, params),
    run: async (sql, params = []) => native.run(sql, params),
    // BEGIN IMMEDIATE already holds the database's write lock.
    lockConversation: async () => undefined,
  };
}

function providerOf(db: Db): DatabaseProvider {
  const active = (db as unknown as { _activeProvider?: string })._activeProvider;
  return active === "postgresql" || active === "postgres" ? "postgres" : "sqlite";
}

const stores = new WeakMap<Db, SqlStore>();

/** The SQL store over a Prisma client: native on the app's SQLite clients, Prisma's raw queries otherwise. */
export async function sqlStoreFor(db: Db): Promise<SqlStore> {
  const cached = stores.get(db);
  if (cached) return cached;
  const holder = nativeHandles.get(db);
  if (holder && !holder.native) await db.$connect();
  const provider = providerOf(db);
  let store: SqlStore;
  if (holder?.native) {
    const handle = holder;
    const current = () => handle.native!;
    store = {
      provider,
      all: (sql, params = []) => current().exclusive(false, async () => current().all(sql, params)),
      run: (sql, params = []) => current().exclusive(false, async () => current().run(sql, params)),
      lockConversation: async () => undefined,
      transaction: (work) => current().exclusive(true, () => work(nativeSql(current()))),
    };
  } else {
    store = {
      ...prismaSql(db, provider, false),
      transaction: (work) => db.$transaction((tx) => work(prismaSql(tx as unknown as RawClient, provider, true))),
    };
  }
  stores.set(db, store);
  return store;
}
