"use client";

import clsx from "clsx";
import { useCallback, useEffect, useRef, useState } from "react";
import type { BranchInfo } from "@/lib/api-types";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CostFigureText } from "@/components/ui/cost-figure";
import { IconButton } from "@/components/ui/icon-button";
import { BranchIcon, CheckIcon, ChevronDownIcon, PencilIcon, TrashIcon } from "@/components/ui/icons";
import { InlineRename } from "@/components/ui/inline-rename";

interface BranchMenuProps {
  branches: BranchInfo[];
  activeBranchId: string;
  disabled: boolean;
  onSwitch: (branchId: string) => Promise<void>;
  onRename: (branchId: string, name: string) => Promise<void>;
  onDelete: (branchId: string) => Promise<void>;
}

/** Header button naming the active branch; opens a list to switch, rename or delete branches. */
export function BranchMenu({ branches, activeBranchId, disabled, onSwitch, onRename, onDelete }: BranchMenuProps) {
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<BranchInfo | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const active = branches.find((branch) => branch.id === activeBranchId) ?? branches.find((branch) => branch.isCurrent);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const cancelDelete = useCallback(() => setDeleting(null), []);

  return (
    <div ref={root} className="relative min-w-0">
      <button
        type="button"
        data-testid="branch-menu-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Branches (active: ${active?.name ?? "none"})`}
        onClick={() => setOpen((value) => !value)}
        className="flex max-w-[9rem] min-w-0 items-center gap-1.5 rounded-md border border-line px-2 py-1 text-xs hover:bg-hover sm:max-w-[14rem]"
      >
        <BranchIcon width={14} height={14} className="shrink-0 text-muted" />
        <span data-testid="active-branch-name" className="truncate font-medium">
          {active?.name ?? "—"}
        </span>
        <ChevronDownIcon width={12} height={12} className="shrink-0 text-muted" />
      </button>
      {open ? (
        <div
          data-testid="branch-menu"
          role="dialog"
          aria-label="Branches"
          className="fixed inset-x-3 top-12 z-30 rounded-xl sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-1 sm:w-[22rem] border border-line bg-elevated p-1.5 shadow-xl"
        >
          <div className="px-2 pt-1 pb-1.5 text-xs font-medium text-muted">Branches ({branches.length})</div>
          <ul className="max-h-80 overflow-y-auto">
            {branches.map((branch) => (
              <BranchRow
                key={branch.id}
                branch={branch}
                active={branch.id === activeBranchId}
                disabled={disabled}
                renaming={renaming === branch.id}
                onSwitch={async () => {
                  await onSwitch(branch.id);
                  setOpen(false);
                }}
                onStartRename={() => setRenaming(branch.id)}
                onRename={(name) => {
                  setRenaming(null);
                  void onRename(branch.id, name);
                }}
                onCancelRename={() => setRenaming(null)}
                onDelete={() => setDeleting(branch)}
              />
            ))}
          </ul>
        </div>
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete branch “${deleting.name}”?`}
          confirmLabel="Delete branch"
          onCancel={cancelDelete}
          onConfirm={async () => {
            await onDelete(deleting.id);
            setDeleting(null);
          }}
        >
          Turns that only this branch reaches are removed. What it cost stays in your usage totals (shown as deleted conversations / deleted branches).
          {deleting.id === activeBranchId ? " It is the active branch: the conversation switches to main." : ""}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

interface BranchRowProps {
  branch: BranchInfo;
  active: boolean;
  disabled: boolean;
  renaming: boolean;
  onSwitch: () => Promise<void>;
  onStartRename: () => void;
  onRename: (name: string) => void;
  onCancelRename: () => void;
  onDelete: () => void;
}

function BranchRow({ branch, active, disabled, renaming, onSwitch, onStartRename, onRename, onCancelRename, onDelete }: BranchRowProps) {
  const turns = `${branch.headTurnNumber} ${branch.headTurnNumber === 1 ? "turn" : "turns"}`;
  return (
    <li data-testid="branch-item" data-branch-id={branch.id} data-active={active ? "true" : "false"} className="group flex items-center gap-1 rounded-lg hover:bg-hover">
      {renaming ? (
        <div className="flex-1 p-1">
          <InlineRename initial={branch.name} label="Branch name" testId="branch-rename-input" maxLength={80} onSave={onRename} onCancel={onCancelRename} />
        </div>
      ) : (
        <button
          type="button"
          data-testid="branch-switch"
          aria-label={active ? `${branch.name} (active)` : `Switch to ${branch.name}`}
          aria-current={active ? "true" : undefined}
          disabled={disabled || active}
          onClick={() => void onSwitch()}
          className={clsx("flex min-w-0 flex-1 items-center gap-2 rounded-lg px-2 py-1.5 text-left text-sm disabled:cursor-default", active && "font-medium")}
        >
          <span className="flex size-4 shrink-0 items-center justify-center text-accent">{active ? <CheckIcon width={14} height={14} /> : null}</span>
          <span className="min-w-0 flex-1">
            <span className="block truncate" data-testid="branch-name">
              {branch.name}
            </span>
            <span className="block text-xs text-muted tabular-nums">
              {turns}
              {branch.forkedFromTurn !== null ? ` · forked at turn ${branch.forkedFromTurn}` : ""} · <CostFigureText figure={branch} testId="branch-cost" />
            </span>
          </span>
        </button>
      )}
      {!renaming && branch.name !== "main" ? (
        <div className="flex shrink-0 pr-1">
          <IconButton label={`Rename branch ${branch.name}`} data-testid="branch-rename" disabled={disabled} onClick={onStartRename} className="size-7">
            <PencilIcon width={13} height={13} />
          </IconButton>
          <IconButton label={`Delete branch ${branch.name}`} data-testid="branch-delete" disabled={disabled} onClick={onDelete} className="size-7 hover:text-danger">
            <TrashIcon width={13} height={13} />
          </IconButton>
        </div>
      ) : null}
    </li>
  );
}
