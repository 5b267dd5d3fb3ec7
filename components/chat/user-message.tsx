"use client";

import { useState } from "react";
import { Markdown } from "@/components/markdown/markdown";
import { CopyButton } from "@/components/chat/copy-button";
import { EditForm } from "@/components/chat/edit-form";
import { IconButton } from "@/components/ui/icon-button";
import { PencilIcon } from "@/components/ui/icons";

interface UserMessageProps {
  turnNumber: number;
  text: string;
  busy: boolean;
  onEdit?: (turnNumber: number, text: string) => Promise<boolean>;
}

/** The user's message of a turn, with copy and inline edit. */
export function UserMessage({ turnNumber, text, busy, onEdit }: UserMessageProps) {
  const [editing, setEditing] = useState(false);

  return (
    <div data-testid="message" data-role="user" data-turn-number={turnNumber} className="group/user flex flex-col items-end">
      {editing && onEdit ? (
        <div className="w-full max-w-[min(100%,42rem)]">
          <EditForm
            initial={text}
            onCancel={() => setEditing(false)}
            onSubmit={async (value) => {
              const ok = await onEdit(turnNumber, value);
              if (ok) setEditing(false);
              return ok;
            }}
          />
        </div>
      ) : (
        <>
          <div className="max-w-[min(100%,42rem)] rounded-2xl bg-bubble px-4 py-2.5 text-[15px]">
            <Markdown text={text} />
          </div>
          {onEdit ? (
            <div className="mt-1 flex gap-0.5 opacity-0 transition-opacity group-hover/user:opacity-100 focus-within:opacity-100 [@media(hover:none)]:opacity-100">
              <CopyButton text={text} />
              <IconButton label="Edit message" data-testid="edit-button" disabled={busy} onClick={() => setEditing(true)}>
                <PencilIcon />
              </IconButton>
            </div>
          ) : (
            <div className="mt-1 h-8" aria-hidden="true" />
          )}
        </>
      )}
    </div>
  );
}
