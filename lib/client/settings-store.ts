import type { UserSettings } from "@/lib/api-types";
import { getSettings, updateSettings } from "@/lib/client/api";
import { applyTheme } from "@/lib/client/theme";

/** The signed-in user's settings, shared by every view; loading them applies the saved theme. */
export interface SettingsState {
  settings: UserSettings | null;
  error: string | null;
}

const EMPTY: SettingsState = { settings: null, error: null };

let state: SettingsState = EMPTY;
let pending: Promise<UserSettings> | null = null;
const listeners = new Set<() => void>();

function setState(next: SettingsState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** The settings, fetched once per page (later calls share the first request). */
export function loadSettings(): Promise<UserSettings> {
  if (state.settings) return Promise.resolve(state.settings);
  pending ??= getSettings()
    .then((settings) => {
      setState({ settings, error: null });
      applyTheme(settings.theme);
      return settings;
    })
    .catch((error: unknown) => {
      pending = null;
      setState({ ...state, error: error instanceof Error ? error.message : "Could not load settings" });
      throw error;
    });
  return pending;
}

export function subscribeSettings(listener: () => void): () => void {
  listeners.add(listener);
  loadSettings().catch(() => undefined);
  return () => {
    listeners.delete(listener);
  };
}

export function getSettingsState(): SettingsState {
  return state;
}

export function getServerSettingsState(): SettingsState {
  return EMPTY;
}

/** Saves fields on the server; a theme is applied at once, before the server answers. */
export async function saveSettings(patch: Partial<Omit<UserSettings, "updatedAt">>): Promise<UserSettings> {
  if (patch.theme) applyTheme(patch.theme);
  const settings = await updateSettings(patch);
  setState({ settings, error: null });
  return settings;
}
