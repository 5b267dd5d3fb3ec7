import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Resources } from "./resources";

/** A new directory under the OS temp dir, removed when `resources` are disposed. */
export function makeTempDir(resources: Resources, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `forkline-bench-${prefix}-`));
  resources.defer(`temp dir ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
