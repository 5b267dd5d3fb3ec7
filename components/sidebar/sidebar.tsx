"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import type { ConversationSummary } from "@/lib/api-types";
import { deleteConversation, errorMessage, renameConversation } from "@/lib/client/api";
import { emitConversationEvent } from "@/lib/client/events";
import { useConversationList } from "@/hooks/use-conversation-list";
import { AccountMenu } from "@/components/account/account-menu";
import { ConversationList } from "@/components/sidebar/conversation-list";
import { ConversationSearch } from "@/components/sidebar/conversation-search";
import { SettingsButton } from "@/components/settings/settings-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorBanner } from "@/components/ui/error-banner";
import { IconButton } from "@/components/ui/icon-button";
import { ChartIcon, CloseIcon, PlusIcon } from "@/components/ui/icons";

/** The conversation list: new chat, search, grouped rows, usage link. */
export function Sidebar({ open, onClose }: { open: boolean; onClose: () => void }) {
  const pathname = usePathname();
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const { items, loading, loadingMore, hasMore, error, loadMore } = useConversationList(query);
  const activeId = pathname?.startsWith("/c/") ? decodeURIComponent(pathname.slice(3)) : null;

  const rename = useCallback(async (id: string, title: string) => {
    setEditingId(null);
    emitConversationEvent({ type: "renamed", id, title });
    try {
      await renameConversation(id, title);
    } catch (err) {
      setActionError(errorMessage(err));
      emitConversationEvent({ type: "updated", id });
    }
  }, []);

  const confirmDelete = async () => {
    if (!deleting) return;
    const { id } = deleting;
    try {
      await deleteConversation(id);
      emitConversationEvent({ type: "deleted", id });
      setDeleting(null);
      if (id === activeId) router.push("/");
    } catch (err) {
      setDeleting(null);
      setActionError(errorMessage(err));
    }
  };

  const cancelRename = useCallback(() => setEditingId(null), []);
  const cancelDelete = useCallback(() => setDeleting(null), []);

  return (
    <aside
      data-testid="sidebar"
      aria-label="Conversations"
      className={clsx(
        "w-72 max-w-[85vw] shrink-0 flex-col border-r border-line bg-panel",
        open ? "fixed inset-y-0 left-0 z-40 flex shadow-xl" : "hidden",
        "md:static md:z-auto md:flex md:shadow-none",
      )}
    >
      <div className="flex items-center gap-2 px-3 pt-3 pb-2">
        <Link href="/" onClick={onClose} className="flex-1 text-base font-semibold tracking-tight">
          Forkline
        </Link>
        <IconButton label="Close sidebar" data-testid="sidebar-close" onClick={onClose} className="md:hidden">
          <CloseIcon />
        </IconButton>
      </div>
      <div className="flex flex-col gap-2 px-3 pb-2">
        <Link
          href="/"
          data-testid="new-chat"
          onClick={onClose}
          className="flex items-center justify-center gap-2 rounded-lg border border-line bg-bg px-3 py-2 text-sm font-medium hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
        >
          <PlusIcon />
          New chat
        </Link>
        <ConversationSearch onSearch={setQuery} />
      </div>
      <nav aria-label="Conversation history" className="min-h-0 flex-1 overflow-y-auto px-2 pb-2" data-testid="conversation-list">
        {actionError ? (
          <div className="mb-2">
            <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
          </div>
        ) : null}
        {error ? <p className="px-2.5 py-2 text-sm text-danger">{error}</p> : null}
        {loading && !error ? <p className="px-2.5 py-2 text-sm text-muted">Loading…</p> : null}
        {!loading && items.length === 0 && !error ? (
          <p className="px-2.5 py-2 text-sm text-muted" data-testid="conversation-list-empty">
            {query ? "No conversations match." : "No conversations yet."}
          </p>
        ) : null}
        <ConversationList
          items={items}
          activeId={activeId}
          editingId={editingId}
          hasMore={hasMore}
          loadingMore={loadingMore}
          onLoadMore={loadMore}
          onNavigate={onClose}
          onStartRename={setEditingId}
          onRename={rename}
          onCancelRename={cancelRename}
          onDelete={setDeleting}
        />
      </nav>
      <div className="border-t border-line p-2">
        <Link
          href="/usage"
          onClick={onClose}
          data-testid="usage-page-link"
          className={clsx("flex items-center gap-2 rounded-lg px-2.5 py-2 text-sm hover:bg-hover", pathname === "/usage" && "bg-hover")}
        >
          <ChartIcon />
          Usage
        </Link>
        <SettingsButton />
      </div>
      <AccountMenu />
      {deleting ? (
        <ConfirmDialog title="Delete conversation?" confirmLabel="Delete" onConfirm={confirmDelete} onCancel={cancelDelete}>
          “{deleting.title?.trim() || "New conversation"}” and all its branches will be deleted. This cannot be undone. What it cost stays in your usage totals (shown as deleted conversations / deleted branches).
        </ConfirmDialog>
      ) : null}
    </aside>
  );
}
