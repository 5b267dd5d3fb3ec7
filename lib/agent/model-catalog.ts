import type { ModelList, ModelOption } from "@/lib/api-types";
import { env } from "@/lib/env";

export const DEMO_MODEL_ID = "forkline-demo";

const DEFAULT_OPENAI_MODELS = ["gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-5-mini"];

/** True when no key and no base URL are configured: the offline demo model answers. */
export function isDemoMode(): boolean {
  const settings = env();
  return !settings.OPENAI_API_KEY && !settings.OPENAI_BASE_URL;
}

/** The models people can pick, first one the default. */
export function modelCatalog(): ModelList {
  if (isDemoMode()) {
    return { models: [{ id: DEMO_MODEL_ID, label: "Demo model (offline)", demo: true }], defaultModel: DEMO_MODEL_ID };
  }
  const configured = env().FORKLINE_MODELS?.split(",").map((name) => name.trim()).filter(Boolean);
  const ids = configured && configured.length > 0 ? configured : DEFAULT_OPENAI_MODELS;
  const models: ModelOption[] = ids.map((id) => ({ id, label: id, demo: false }));
  return { models, defaultModel: ids[0]! };
}

/** The model to use for a turn: the requested one if it is offered, else the default; null if it is not offered. */
export function resolveModelId(requested: string | undefined): string | null {
  const catalog = modelCatalog();
  if (requested === undefined) return catalog.defaultModel;
  return catalog.models.some((model) => model.id === requested) ? requested : null;
}
