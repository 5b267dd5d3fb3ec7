import type { AppStack } from "./app-stack";
import type { BenchOptions } from "./options";
import type { Resources } from "./resources";

/** What every scenario gets from the orchestrator. */
export interface BenchContext {
  options: BenchOptions;
  /** Disposed at the end of the run: the template database, the app server and the fake model live here. */
  run: Resources;
  /** Disposed when the current scenario ends, whatever happens. */
  scenario: Resources;
  /** A run-level temp directory for shared fixtures. */
  runDir: string;
  /** The fake model and `next start`, started on first use and shared by the server and browser scenarios. */
  appStack(): Promise<AppStack>;
}
