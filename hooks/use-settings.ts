"use client";

import { useSyncExternalStore } from "react";
import { getServerSettingsState, getSettingsState, saveSettings, subscribeSettings } from "@/lib/client/settings-store";

/** The user's settings (null until loaded), the load error, and a saver. */
export function useSettings() {
  const state = useSyncExternalStore(subscribeSettings, getSettingsState, getServerSettingsState);
  return { settings: state.settings, error: state.error, save: saveSettings };
}
