import fs from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100;

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const all = [pid];
  for (let index = 0; index < all.length; index += 1) all.push(...(children.get(all[index] ?? -1) ?? []));
  return all;
}

function ticks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) used so far by a process and its descendants (Linux /proc; 0 elsewhere). */
export function cpuSeconds(pid: number): number {
  if (os.platform() !== "linux" || !pid) return 0;
  return descendants(pid).reduce((total, id) => total + ticks(id), 0) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by this process. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
