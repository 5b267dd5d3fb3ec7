// The production build's fingerprint: a hash of everything `next build` reads from the repository, so `npm start`
// builds on first start and again only when sources changed.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const stampFile = (dir) => path.join(dir, ".next", "forkline-build.json");
const SOURCE_DIRS = ["app", "components", "hooks", "lib", "prisma", "public"];
const SOURCE_FILES = ["package.json", "next.config.js", "tsconfig.json", "postcss.config.mjs", "instrumentation.ts"];
// Generated, and regenerated from prisma/ (which is hashed).
const SKIPPED_DIR = path.join("lib", "db", "generated");

function* filesUnder(dir, base) {
  if (path.relative(base, dir) === SKIPPED_DIR || !existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full, base);
    else if (entry.isFile() || entry.isSymbolicLink()) yield full;
  }
}

/** Hash of the sources, the Next.js version and the Node major version. */
export function sourceFingerprint(dir = root) {
  const hash = createHash("sha256");
  const nextPackage = path.join(dir, "node_modules", "next", "package.json");
  hash.update(`node ${process.versions.node.split(".")[0]}\n`);
  if (existsSync(nextPackage)) hash.update(`next ${JSON.parse(readFileSync(nextPackage, "utf8")).version}\n`);
  const files = [...SOURCE_DIRS.flatMap((name) => [...filesUnder(path.join(dir, name), dir)]), ...SOURCE_FILES.map((file) => path.join(dir, file))];
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(`${path.relative(dir, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

/** Why a build is needed, or null when the last build matches the sources. */
export function buildNeeded(dir = root) {
  if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) return "first start: no production build yet";
  if (!existsSync(stampFile(dir))) return "the production build predates this start script";
  try {
    if (JSON.parse(readFileSync(stampFile(dir), "utf8")).fingerprint === sourceFingerprint(dir)) return null;
  } catch {
    return "the build stamp is unreadable";
  }
  return "the sources changed since the last build";
}

/** Records that the build in `.next` was made from the sources as they are now. */
export function writeStamp(dir = root) {
  const fingerprint = sourceFingerprint(dir);
  writeFileSync(stampFile(dir), `${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() })}\n`);
}
