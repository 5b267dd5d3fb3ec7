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

type Call = <P extends Record<string, string>>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  init: CallInit<P>,
) => Promise<Response>;

export interface Harness {
  fake: FakeOpenAI;
  testDb: TestDb;
  /** Calls a route handler in-process with a JSON body and route params, as the default user (cookies kept). */
  call: Call;
  /** A caller with its own cookie jar: another browser, so another guest user. */
  asNewUser(): Call;
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
    FORKLINE_TURNS_PER_MINUTE: "0",
    ...options.env,
  });
  const { resetEnvForTests } = await import("@/lib/env");
  const { resetModelProviderForTests } = await import("@/lib/agent/model-provider");
  resetEnvForTests();
  resetModelProviderForTests();
  const globals = globalThis as unknown as { forklineDb?: unknown; forklineAuth?: unknown; forklineAuthSecret?: unknown };
  globals.forklineDb = { db: testDb.db, provider: testDb.provider };
  globals.forklineAuth = undefined;
  globals.forklineAuthSecret = undefined;
  const caller = (): Call => {
    const jar = new Map<string, string>();
    return async (handler, init) => {
      const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
      const request = new Request(`http://localhost${init.path ?? "/"}`, {
        method: init.method ?? "POST",
        body,
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...(cookie ? { cookie } : {}), ...init.headers },
        signal: init.signal,
      });
      const response = await handler(request, { params: Promise.resolve((init.params ?? {}) as never) });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const [name, ...value] = (pair ?? "").split("=");
        if (name) jar.set(name.trim(), value.join("="));
      }
      return response;
    };
  };
  return {
    fake,
    testDb,
    call: caller(),
    asNewUser: caller,
    async close() {
      await fake.close();
      await testDb.dispose();
    },
  };
}
