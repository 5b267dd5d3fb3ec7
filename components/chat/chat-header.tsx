"use client";

import type { ReactNode } from "react";
import { SidebarToggle } from "@/components/layout/sidebar-toggle";

/** Top bar of the chat: sidebar toggle, title, and the conversation's controls. */
export function ChatHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b border-line px-2 sm:px-4">
      <SidebarToggle />
      <h1 className="min-w-0 flex-1 truncate text-sm font-medium" data-testid="conversation-title-heading" title={title}>
        {title}
      </h1>
      <div className="flex shrink-0 items-center gap-1.5">{children}</div>
    </header>
  );
}
