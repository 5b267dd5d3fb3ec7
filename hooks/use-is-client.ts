"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/** True after hydration; lets a view skip server rendering of time-dependent content. */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
