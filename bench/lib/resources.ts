import { progress } from "./log";

type Cleanup = () => Promise<void> | void;

/** Cleanups run newest first, each once, even when one of them throws. */
export class Resources {
  readonly #stack: { label: string; cleanup: Cleanup }[] = [];
  readonly #late: Promise<void>[] = [];
  #closed = false;

  /** Registers a cleanup; once disposal has begun, runs it at once (a scenario still running after Ctrl-C). */
  defer(label: string, cleanup: Cleanup): void {
    if (this.#closed) this.#late.push(Resources.#run(label, cleanup));
    else this.#stack.push({ label, cleanup });
  }

  /** Runs every registered cleanup, newest first, and waits for any registered since. */
  async dispose(): Promise<void> {
    this.#closed = true;
    for (let entry = this.#stack.pop(); entry; entry = this.#stack.pop()) await Resources.#run(entry.label, entry.cleanup);
    await Promise.all(this.#late);
  }

  static async #run(label: string, cleanup: Cleanup): Promise<void> {
    try {
      await cleanup();
    } catch (error) {
      progress(`cleanup of ${label} failed: ${(error as Error).message}`);
    }
  }
}
