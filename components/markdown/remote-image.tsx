"use client";

import { useState } from "react";

function hostOf(src: string): string {
  try {
    return new URL(src).host;
  } catch {
    return src;
  }
}

/**
 * A remote image from untrusted markdown, shown as a placeholder until the person clicks "Load image": loading it
 * at once would let a prompt-injected reply send data to any server in the image URL (docs/security.md).
 */
export function RemoteImage({ src, alt }: { src: string; alt: string }) {
  const [loaded, setLoaded] = useState(false);
  const host = hostOf(src);
  if (loaded) {
    // eslint-disable-next-line @next/next/no-img-element -- arbitrary remote images the person chose to load
    return <img data-testid="remote-image" src={src} alt={alt} referrerPolicy="no-referrer" />;
  }
  return (
    <span
      data-testid="remote-image-placeholder"
      title={src}
      className="my-1 inline-flex max-w-full flex-wrap items-center gap-x-2 gap-y-1 rounded-md border border-dashed border-line px-2 py-1 align-middle text-sm text-muted"
    >
      <span className="min-w-0 break-words">
        {alt ? <span className="text-fg">{alt}</span> : "Image"} <span>from {host}</span>
      </span>
      <button
        type="button"
        data-testid="load-image-button"
        aria-label={`Load image${alt ? ` "${alt}"` : ""} from ${host}`}
        onClick={(event) => {
          // Inside a markdown link, the click loads the image and does not follow the link.
          event.preventDefault();
          event.stopPropagation();
          setLoaded(true);
        }}
        className="rounded border border-line px-1.5 py-0.5 text-xs font-medium text-fg hover:bg-hover"
      >
        Load image
      </button>
    </span>
  );
}
