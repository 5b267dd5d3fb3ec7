/** Chromium's flags for this machine (no sandbox, no network chatter); specs that launch their own browser reuse them. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
