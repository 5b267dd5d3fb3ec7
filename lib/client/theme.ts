import type { Theme } from "@/lib/api-types";

/** localStorage key the first-paint script in app/layout.tsx reads, so a reload shows the theme before any fetch. */
export const THEME_STORAGE_KEY = "forkline.theme";

/** Inline script for <head>: applies the mirrored theme before the first paint (no flash). */
export const THEME_BOOTSTRAP_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

/** Applies a theme to <html data-theme> (none for "system": the media query decides) and mirrors it in localStorage. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Private mode: the server still has it; the first paint may follow the system until it loads.
  }
}
