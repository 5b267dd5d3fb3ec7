import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of the CPU samples in the window, 0..1. */
  share: number;
}

export interface ProfileSummary {
  /** Sampled CPU time inside the window, in ms. */
  sampledMs: number;
  /** Every origin, largest first. */
  byPackage: ProfileShare[];
  /** The eight hottest functions. */
  byFunction: ProfileShare[];
}

/** Where a frame's code lives: an npm package, the app's bundle, Node internals, or V8's own buckets. */
function origin(frame: ProfileNode["callFrame"]): string {
  if (frame.functionName === "(garbage collector)") return "V8 garbage collector";
  if (frame.functionName === "(idle)" || frame.functionName === "(program)") return `V8 ${frame.functionName}`;
  const url = frame.url;
  if (!url) return "native (no script)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith("wasm://")) return "WebAssembly (Prisma query compiler)";
  if (url.startsWith("node:")) return `Node internals (${url.slice("node:".length).split("/").slice(0, 2).join("/")})`;
  if (url.includes("/.next/")) return "app bundle (.next/server chunks: app code, @openai/agents, zod …)";
  return path.basename(url);
}

function top(map: Map<string, number>, total: number, count: number): ProfileShare[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, share: micros / total }));
}

/** Self time in the `.cpuprofile`s of `dir` between two monotonic timestamps (µs), by origin and by function. */
export function summarizeProfiles(dir: string, fromMicros: number, toMicros: number): ProfileSummary {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    let time = profile.startTime;
    profile.samples.forEach((id, index) => {
      const delta = profile.timeDeltas[index] ?? 0;
      time += delta;
      const node = nodes.get(id);
      if (!node || time < fromMicros || time > toMicros || node.callFrame.functionName === "(idle)") return;
      const where = origin(node.callFrame);
      byPackage.set(where, (byPackage.get(where) ?? 0) + delta);
      const name = `${node.callFrame.functionName || "(anonymous)"} — ${where}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
      total += delta;
    });
  }
  return { sampledMs: total / 1000, byPackage: top(byPackage, total, byPackage.size), byFunction: top(byFunction, total, 8) };
}

/** Now on the monotonic clock of V8's profiles, in microseconds. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
