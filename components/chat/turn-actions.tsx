"use client";

import type { ReactNode } from "react";
import { CopyButton } from "@/components/chat/copy-button";
import { IconButton } from "@/components/ui/icon-button";
import { BranchIcon, ForkOutIcon, RefreshIcon } from "@/components/ui/icons";

interface TurnActionsProps {
  text: string;
  busy: boolean;
  onRegenerate: () => void;
  onForkHere: () => void;
  onForkNew: () => void;
  children?: ReactNode;
}

/** Copy, regenerate and fork buttons under an assistant reply (plus the sibling switcher as children). */
export function TurnActions({ text, busy, onRegenerate, onForkHere, onForkNew, children }: TurnActionsProps) {
  return (
    <div className="mt-1 flex flex-wrap items-center gap-0.5">
      <CopyButton text={text} label="Copy reply" />
      <IconButton label="Regenerate reply" data-testid="regenerate-button" disabled={busy} onClick={onRegenerate}>
        <RefreshIcon />
      </IconButton>
      <IconButton label="Fork here (new branch from this reply)" data-testid="fork-here-button" disabled={busy} onClick={onForkHere}>
        <BranchIcon />
      </IconButton>
      <IconButton label="Fork into new conversation" data-testid="fork-new-conversation-button" disabled={busy} onClick={onForkNew}>
        <ForkOutIcon />
      </IconButton>
      {children}
    </div>
  );
}
