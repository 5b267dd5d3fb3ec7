"use client";

import type { SiblingOption, TurnView } from "@/lib/api-types";
import { IconButton } from "@/components/ui/icon-button";
import { ChevronLeftIcon, ChevronRightIcon } from "@/components/ui/icons";

interface SiblingNavProps {
  siblings: TurnView["siblings"];
  disabled: boolean;
  onSwitch: (option: SiblingOption) => void;
}

/** ‹ i / n › between alternative versions of a turn. */
export function SiblingNav({ siblings, disabled, onSwitch }: SiblingNavProps) {
  if (siblings.count < 2) return null;
  const previous = siblings.options[siblings.index - 2];
  const next = siblings.options[siblings.index];
  return (
    <div className="flex items-center text-xs text-muted" role="group" aria-label="Versions of this turn">
      <IconButton
        label="Previous version"
        data-testid="sibling-prev"
        disabled={disabled || !previous?.branchId}
        onClick={() => previous && onSwitch(previous)}
        className="size-7"
      >
        <ChevronLeftIcon width={14} height={14} />
      </IconButton>
      <span data-testid="sibling-position" className="min-w-[2.75rem] text-center tabular-nums">
        {siblings.index} / {siblings.count}
      </span>
      <IconButton
        label="Next version"
        data-testid="sibling-next"
        disabled={disabled || !next?.branchId}
        onClick={() => next && onSwitch(next)}
        className="size-7"
      >
        <ChevronRightIcon width={14} height={14} />
      </IconButton>
    </div>
  );
}
