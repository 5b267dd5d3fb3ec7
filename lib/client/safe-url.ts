const SAFE_LINK = /^(https?:|mailto:)/i;
const SAFE_IMAGE = /^https?:/i;

/** Keeps only http(s) and mailto URLs (http(s) for images); anything else becomes "" and renders inert. */
export function safeUrl(url: string, key: string): string {
  const trimmed = url.trim();
  if (key === "src") return SAFE_IMAGE.test(trimmed) ? trimmed : "";
  return SAFE_LINK.test(trimmed) ? trimmed : "";
}
