import type { ModelList } from "@/lib/api-types";
import { getModels } from "@/lib/client/api";
import { loadSettings } from "@/lib/client/settings-store";

/** The model list and the user's choice, shared by every view; a page starts on the user's default model, else the last pick (localStorage). */
export interface ModelState {
  list: ModelList | null;
  selectedId: string | null;
  error: string | null;
}

const STORAGE_KEY = "forkline.model";
const EMPTY: ModelState = { list: null, selectedId: null, error: null };

let state: ModelState = EMPTY;
let loading = false;
const listeners = new Set<() => void>();

function setState(next: ModelState): void {
  state = next;
  for (const listener of listeners) listener();
}

function storedChoice(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function load(): void {
  if (loading || state.list) return;
  loading = true;
  Promise.all([getModels(), loadSettings().catch(() => null)])
    .then(([list, settings]) => {
      const offered = (id: string | null | undefined): id is string => Boolean(id) && list.models.some((model) => model.id === id);
      const preferred = settings?.defaultModel;
      const stored = storedChoice();
      const selectedId = offered(preferred) ? preferred : offered(stored) ? stored : list.defaultModel;
      setState({ list, selectedId, error: null });
    })
    .catch((error: unknown) => {
      setState({ ...state, error: error instanceof Error ? error.message : "Could not load models" });
    })
    .finally(() => {
      loading = false;
    });
}

export function subscribeModels(listener: () => void): () => void {
  listeners.add(listener);
  load();
  return () => {
    listeners.delete(listener);
  };
}

export function getModelState(): ModelState {
  return state;
}

export function getServerModelState(): ModelState {
  return EMPTY;
}

export function selectModel(id: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  setState({ ...state, selectedId: id });
}
