"use client";

import { useSyncExternalStore } from "react";
import type { ModelOption } from "@/lib/api-types";
import { getModelState, getServerModelState, selectModel, subscribeModels } from "@/lib/client/model-store";

/** Available models, the selected one, and a setter. */
export function useModels() {
  const state = useSyncExternalStore(subscribeModels, getModelState, getServerModelState);
  const models = state.list?.models ?? [];
  const selected: ModelOption | null = models.find((model) => model.id === state.selectedId) ?? null;
  return { models, selected, error: state.error, select: selectModel, isDemo: (id: string | null) => isDemoModel(models, id) };
}

function isDemoModel(models: readonly ModelOption[], id: string | null): boolean {
  if (!id) return false;
  return models.some((model) => model.id === id && model.demo);
}
