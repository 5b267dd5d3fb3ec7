import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs } from "./e2e/support/chromium";

const appPort = Number(process.env.E2E_APP_PORT ?? 3987);
const fakePort = Number(process.env.E2E_FAKE_PORT ?? 4987);
const demoPort = appPort + 1;
const dataDir = path.resolve("test-results/e2e-data");

const appEnv = {
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_URL: `file:${dataDir}/app.db`,
  OPENAI_API_KEY: "e2e-key",
  OPENAI_BASE_URL: `http://127.0.0.1:${fakePort}/v1`,
  FORKLINE_MODELS: "test-model,test-model-cheap",
  FORKLINE_PRICES_FILE: path.resolve("test/support/test-prices.json"),
  FORKLINE_TITLES: "heuristic",
  FORKLINE_MODEL_MAX_RETRIES: "0",
  FORKLINE_TURNS_PER_MINUTE: "0",
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${appPort}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: `npx tsx test/fake-openai/cli.ts --port ${fakePort}`,
      url: `http://127.0.0.1:${fakePort}/v1/models`,
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: `node scripts/server.mjs -p ${appPort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${appPort}/api/health`,
      env: appEnv,
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      command: `node scripts/server.mjs -p ${demoPort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${demoPort}/api/health`,
      env: { NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: `file:${dataDir}/demo.db`, FORKLINE_DEMO_DELAY_MS: "1", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});

export const DEMO_BASE_URL = `http://127.0.0.1:${demoPort}`;
