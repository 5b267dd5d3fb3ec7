"use client";

import type { ReactNode } from "react";
import { usePathname } from "next/navigation";
import { SidebarToggle } from "@/components/layout/sidebar-toggle";
import { ConversationSystemPrompt } from "@/components/settings/conversation-system-prompt";

/** Top bar of the chat: sidebar toggle, title, the conversation's controls and (on a conversation) its system prompt. */
export function ChatHeader({ title, children }: { title: string; children?: ReactNode }) {
  const pathname = usePathname();
  const conversationId = pathname?.startsWith("/c/") ? decodeURIComponent(pathname.slice(3)) : null;
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b border-line px-2 sm:px-4">
      <SidebarToggle />
      <h1 className="min-w-0 flex-1 truncate text-sm font-medium" data-testid="conversation-title-heading" title={title}>
        {title}
      </h1>
      <div className="flex shrink-0 items-center gap-1.5">
        {children}
        {conversationId ? <ConversationSystemPrompt key={conversationId} conversationId={conversationId} /> : null}
      </div>
    </header>
  );
}
