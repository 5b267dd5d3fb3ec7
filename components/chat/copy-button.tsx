"use client";

import { useCopy } from "@/hooks/use-copy";
import { IconButton } from "@/components/ui/icon-button";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** Copies the given text; the label flips to "Copied" for a moment. */
export function CopyButton({ text, label = "Copy message" }: { text: string; label?: string }) {
  const { copied, copy } = useCopy();
  return (
    <IconButton label={copied ? "Copied" : label} data-testid="copy-button" data-copied={copied ? "true" : undefined} onClick={() => void copy(text)}>
      {copied ? <CheckIcon className="text-ok" /> : <CopyIcon />}
    </IconButton>
  );
}
