/** Turns running in this process, so a stop request here aborts at once (other instances poll the database). */
class RunningTurns {
  readonly #controllers = new Map<string, AbortController>();

  register(turnId: string, controller: AbortController): void {
    this.#controllers.set(turnId, controller);
  }

  unregister(turnId: string): void {
    this.#controllers.delete(turnId);
  }

  /** Aborts a turn running in this process; false when it runs elsewhere or not at all. */
  abort(turnId: string): boolean {
    const controller = this.#controllers.get(turnId);
    controller?.abort();
    return Boolean(controller);
  }

  get size(): number {
    return this.#controllers.size;
  }
}

const globalForTurns = globalThis as unknown as { forklineRunningTurns?: RunningTurns };
export const runningTurns = (globalForTurns.forklineRunningTurns ??= new RunningTurns());
