import path from "node:path";
import { startFakeOpenAI, type FakeOpenAI } from "../fake-openai/server";
import { createTestDb, type TestDb } from "./test-db";

export interface CallInit<P> {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  params?: P;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface Harness {
  fake: FakeOpenAI;
  testDb: TestDb;
  /** Calls a route handler in-process with a JSON body and route params. */
  call<P extends Record<string, string>>(
    handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
    init: CallInit<P>,
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Points the app (env, database, model client) at a fresh database and a fake OpenAI server. */
export async function startHarness(options: { apiMode?: "responses" | "chat_completions"; env?: Record<string, string> } = {}): Promise<Harness> {
  const fake = await startFakeOpenAI();
  const testDb = await createTestDb();
  Object.assign(process.env, {
    DATABASE_URL: testDb.url,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_MODE: options.apiMode ?? "responses",
    FORKLINE_MODELS: "test-model,test-model-cheap,unpriced-model",
    FORKLINE_PRICES_FILE: path.resolve(import.meta.dirname, "test-prices.json"),
    FORKLINE_MODEL_MAX_RETRIES: "0",
    FORKLINE_MODEL_TIMEOUT_MS: "5000",
    ...options.env,
  });
  const { resetEnvForTests } = await import("@/lib/env");
  const { resetModelProviderForTests } = await import("@/lib/agent/model-provider");
  resetEnvForTests();
  resetModelProviderForTests();
  (globalThis as unknown as { forklineDb?: unknown }).forklineDb = { db: testDb.db, provider: testDb.provider };
  return {
    fake,
    testDb,
    call(handler, init) {
      const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      const request = new Request(`http://localhost${init.path ?? "/"}`, {
        method: init.method ?? "POST",
        body,
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...init.headers },
        signal: init.signal,
      });
      return handler(request, { params: Promise.resolve((init.params ?? {}) as never) });
    },
    async close() {
      await fake.close();
      await testDb.dispose();
    },
  };
}
