import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgres";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  url: string;
  /** Absolute file path for SQLite; undefined for PostgreSQL. */
  filePath?: string;
}

export const DEFAULT_DATABASE_URL = "file:./data/forkline.db";

/** Chooses the provider from the URL: `file:` is SQLite, `postgres://` / `postgresql://` is PostgreSQL. */
export function resolveDatabaseTarget(url: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgres", url };
  if (url.startsWith("file:")) {
    const raw = url.slice("file:".length).split("?")[0] ?? "";
    if (!raw) throw new Error(`DATABASE_URL "${url}" names no file`);
    const filePath = path.resolve(/*turbopackIgnore: true*/ raw);
    return { provider: "sqlite", url: `file:${filePath}`, filePath };
  }
  throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgres://" (PostgreSQL); got "${url}"`);
}
