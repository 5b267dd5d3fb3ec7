import { progress } from "./log";

export interface SampleOptions {
  /** Untimed rounds first, so caches, JIT and prepared statements are warm. */
  warmup: number;
  /** Rounds that are always run, whatever the budget. */
  minRounds: number;
  maxRounds: number;
  /** Wall-clock budget for the timed rounds; sampling stops after the round that crosses it. */
  budgetMs: number;
  label: string;
}

export type Samples<K extends string> = Record<K, number[]>;

function rotate<T>(list: readonly T[], by: number): T[] {
  const shift = by % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

/** Times every case once per round in rotating order, so noise hits subject and baseline alike; ms per case. */
export async function sampleInterleaved<K extends string>(cases: Record<K, () => Promise<unknown>>, options: SampleOptions): Promise<Samples<K>> {
  const keys = Object.keys(cases) as K[];
  for (let round = 0; round < options.warmup; round += 1) {
    for (const key of rotate(keys, round)) await cases[key]();
  }
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Samples<K>;
  const deadline = performance.now() + options.budgetMs;
  let round = 0;
  while (round < options.maxRounds && (round < options.minRounds || performance.now() < deadline)) {
    for (const key of rotate(keys, round)) {
      const start = performance.now();
      await cases[key]();
      samples[key].push(performance.now() - start);
    }
    round += 1;
  }
  progress(`${options.label}: ${round} rounds of ${keys.length} cases`);
  return samples;
}
