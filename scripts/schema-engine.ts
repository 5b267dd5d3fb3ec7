// Drives Prisma's wasm schema engine through a driver adapter, because the native engine cannot be downloaded here.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasm from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { migrationsDir } from "../lib/db/migrate.ts";
import { resolveDatabaseTarget, type DatabaseProvider } from "../lib/db/database-url.ts";

const root = path.resolve(import.meta.dirname, "..");
let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const file = path.join(root, "node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(file), { "./schema_engine_bg.js": wasm });
    wasm.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

/** The provider's schema files (its own schema.prisma plus the shared models), as the engine wants them. */
export function schemaFiles(provider: DatabaseProvider): { path: string; content: string }[] {
  const dir = path.join(root, "prisma", provider);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => ({ path: path.join(dir, name), content: fs.readFileSync(path.join(dir, name), "utf8") }));
}

function migrationsList(provider: DatabaseProvider) {
  const dir = migrationsDir(provider, root);
  const names = fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const lock = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

// pg catalog columns of type "char" (18) and name (19) are rejected by adapter-pg; they are strings anyway.
function catalogSafePool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, allowExitOnIdle: true });
  const query = pool.query.bind(pool) as unknown as (...args: unknown[]) => Promise<pg.QueryResult>;
  Object.assign(pool, {
    query: async (...args: unknown[]) => {
      const result = await query(...args);
      for (const field of result?.fields ?? []) if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
      return result;
    },
  });
  return pool;
}

function pgFactory(url: string) {
  const open = (connectionString: string) =>
    new PrismaPg(catalogSafePool(connectionString), { disposeExternalPool: true });
  const base = open(url);
  return {
    provider: "postgres" as const,
    adapterName: base.adapterName,
    connect: () => base.connect(),
    // adapter-pg's own shadow database reuses the real one; make a throwaway database instead.
    async connectToShadowDb() {
      const admin = await open(url).connect();
      const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${name}`;
      const shadow = await open(shadowUrl.toString()).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

function sqliteFactory(url: string) {
  const base = new PrismaBetterSqlite3({ url });
  return {
    provider: "sqlite" as const,
    adapterName: base.adapterName,
    connect: () => base.connect(),
    // Migrations are replayed into the shadow database as multi-statement scripts, which prepare() rejects.
    async connectToShadowDb() {
      const shadow = await base.connectToShadowDb();
      const executeRaw = shadow.executeRaw.bind(shadow);
      shadow.executeRaw = async (query) => {
        if (query.args.length > 0) return executeRaw(query);
        await shadow.executeScript(query.sql);
        return 0;
      };
      return shadow;
    },
  };
}

const filters = { externalTables: [], externalEnums: [] };

async function withEngine<T>(url: string, work: (engine: wasm.SchemaEngine, provider: DatabaseProvider) => Promise<T>): Promise<T> {
  await loadWasm();
  const target = resolveDatabaseTarget(url);
  const factory = target.provider === "postgres" ? pgFactory(target.url) : sqliteFactory(target.url);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const datamodels = schemaFiles(target.provider).map((file) => [file.path, file.content] as [string, string]);
  const engine = await wasm.SchemaEngine.new({ datamodels }, () => undefined, adapter);
  try {
    return await work(engine, target.provider);
  } finally {
    engine.free();
  }
}

/** SQL that takes a database built from the committed migrations to the current schema ("" when in sync). */
export async function diffMigrationsToSchema(url: string): Promise<string> {
  return withEngine(url, async (engine, provider) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...migrationsList(provider) },
      to: { tag: "schemaDatamodel", files: schemaFiles(provider) },
      script: true,
      exitCode: null,
      filters,
    });
    return (result.stdout ?? "").trim() === "-- This is an empty migration." ? "" : (result.stdout ?? "").trim();
  });
}
