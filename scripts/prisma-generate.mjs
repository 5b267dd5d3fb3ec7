// Generates one Prisma client per provider without downloading Prisma's native engines.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prismaCli)) {
  console.error("prisma-generate: the prisma CLI is not installed; run `npm install` first");
  process.exit(1);
}

// The CLI only checks that the schema engine file exists before generating; generate never runs it.
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

for (const provider of ["sqlite", "postgres"]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", path.join(root, "prisma", provider)], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
