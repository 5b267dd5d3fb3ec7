import { randomUUID } from "node:crypto";
import pg from "pg";
import { createDbClient, type Db } from "@/lib/db/create-client";
import { applyMigrations } from "@/lib/db/migrate";
import type { Resources } from "./resources";

export interface PostgresBenchDb {
  url: string;
  /** The app's Prisma client (driver adapter), exactly as `lib/db` builds it. */
  db: Db;
  /** A plain `pg` connection to the same database, for baselines. */
  raw: pg.Client;
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, migrated database on the server (dropped with `resources`), with the app's Prisma client and a raw `pg` connection. */
export async function openPostgresBenchDb(resources: Resources, serverUrl: string): Promise<PostgresBenchDb> {
  const name = `forkline_bench_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  resources.defer(`database ${name}`, async () => {
    await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const { db } = createDbClient(url.toString());
  resources.defer(`prisma client ${name}`, () => db.$disconnect());
  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  resources.defer(`raw connection ${name}`, () => raw.end());
  return { url: url.toString(), db, raw };
}
