"use client";

import clsx from "clsx";
import Link from "next/link";
import { memo } from "react";
import type { ConversationSummary } from "@/lib/api-types";
import { CostFigureText } from "@/components/ui/cost-figure";
import { IconButton } from "@/components/ui/icon-button";
import { PencilIcon, TrashIcon } from "@/components/ui/icons";
import { InlineRename } from "@/components/ui/inline-rename";

interface ConversationRowProps {
  conversation: ConversationSummary;
  active: boolean;
  editing: boolean;
  onNavigate: () => void;
  onStartRename: (id: string) => void;
  onRename: (id: string, title: string) => void;
  onCancelRename: () => void;
  onDelete: (conversation: ConversationSummary) => void;
}

/** One conversation in the sidebar: title, cost, and rename/delete actions. */
export const ConversationRow = memo(function ConversationRow({
  conversation,
  active,
  editing,
  onNavigate,
  onStartRename,
  onRename,
  onCancelRename,
  onDelete,
}: ConversationRowProps) {
  const title = conversation.title?.trim() || "New conversation";
  return (
    <li data-testid="conversation-item" data-conversation-id={conversation.id} className="group relative">
      {editing ? (
        <div className="px-1 py-1">
          <InlineRename
            initial={conversation.title ?? ""}
            label="Conversation title"
            testId="conversation-rename-input"
            onSave={(value) => onRename(conversation.id, value)}
            onCancel={onCancelRename}
          />
        </div>
      ) : (
        <>
          <Link
            href={conversation.matchedBranchId ? `/c/${conversation.id}?branch=${conversation.matchedBranchId}` : `/c/${conversation.id}`}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={clsx(
              "flex flex-col rounded-lg px-2.5 py-2 pr-16 text-sm transition-colors focus-visible:outline-2 focus-visible:outline-accent",
              active ? "bg-hover text-fg" : "text-fg/90 hover:bg-hover",
            )}
          >
            <span className="truncate" data-testid="conversation-title">
              {title}
            </span>
            <span className="mt-0.5 text-xs text-muted tabular-nums" data-testid="conversation-cost">
              <CostFigureText figure={conversation} />
              {conversation.turnCount > 0 ? ` · ${conversation.turnCount} ${conversation.turnCount === 1 ? "turn" : "turns"}` : ""}
            </span>
          </Link>
          <div className="absolute top-1/2 right-1 flex -translate-y-1/2 gap-0.5 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100">
            <IconButton label={`Rename ${title}`} data-testid="conversation-rename" onClick={() => onStartRename(conversation.id)} className="size-7">
              <PencilIcon width={14} height={14} />
            </IconButton>
            <IconButton
              label={`Delete ${title}`}
              data-testid="conversation-delete"
              onClick={() => onDelete(conversation)}
              className="size-7 hover:text-danger"
            >
              <TrashIcon width={14} height={14} />
            </IconButton>
          </div>
        </>
      )}
    </li>
  );
});
