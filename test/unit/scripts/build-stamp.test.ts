import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { buildNeeded, writeStamp } from "../../../scripts/build-stamp.mjs";

let dir: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "forkline-stamp-"));
  write("app/page.tsx", "export default function Page() {}");
  write("lib/db/generated/client.js", "generated");
  write("package.json", "{}");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start builds only when it must", () => {
  it("builds on first start, then not again while the sources stay the same", () => {
    expect(buildNeeded(dir)).toMatch(/first start/);
    write(".next/BUILD_ID", "x");
    expect(buildNeeded(dir)).toMatch(/predates/);
    writeStamp(dir);
    expect(buildNeeded(dir)).toBeNull();
  });

  it("builds again when a source, a config file or a new source file changes, not for generated or build output", () => {
    write(".next/BUILD_ID", "x");
    writeStamp(dir);
    write("lib/db/generated/client.js", "regenerated");
    write(".next/cache/anything", "y");
    expect(buildNeeded(dir)).toBeNull();
    write("app/page.tsx", "export default function Page() { return null; }");
    expect(buildNeeded(dir)).toMatch(/sources changed/);
    writeStamp(dir);
    write("components/new-thing.tsx", "export {}");
    expect(buildNeeded(dir)).toMatch(/sources changed/);
    writeStamp(dir);
    write("package.json", '{"name":"x"}');
    expect(buildNeeded(dir)).toMatch(/sources changed/);
  });
});
