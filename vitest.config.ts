import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // server-only guards the browser bundle; tests run on the server side.
  "server-only": path.resolve(import.meta.dirname, "test/support/empty-module.ts"),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "test/unit/**/*.test.ts", "test/fake-openai.test.ts"],
          exclude: ["test/unit/db/sqlite-concurrency.test.ts"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        // 16 writer processes for 30 s: run alone, so it neither starves nor is starved by other files.
        test: { name: "stress", include: ["test/unit/db/sqlite-concurrency.test.ts"], environment: "node", testTimeout: 120_000 },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
