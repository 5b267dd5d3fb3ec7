export interface LoadResult {
  completed: number;
  errors: number;
  elapsedMs: number;
  turnsPerSecond: number;
  firstError: string | null;
}

export interface LoadOptions {
  workers: number;
  /** No worker starts a turn once this many were started. */
  maxTurns: number;
  /** No worker starts a turn after this long. */
  maxMs: number;
}

/** Runs `workers` concurrent loops of `turn(worker)` within the bounds; counts completions and errors. */
export async function runLoad(options: LoadOptions, turn: (worker: number) => Promise<void>): Promise<LoadResult> {
  let started = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | null = null;
  const start = performance.now();
  const worker = async (index: number) => {
    while (started < options.maxTurns && performance.now() - start < options.maxMs) {
      started += 1;
      try {
        await turn(index);
        completed += 1;
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - start;
  return { completed, errors, elapsedMs, turnsPerSecond: (completed * 1000) / elapsedMs, firstError };
}
