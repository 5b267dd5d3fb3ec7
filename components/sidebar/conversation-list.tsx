"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ConversationSummary } from "@/lib/api-types";
import { groupByDate } from "@/lib/client/date-groups";
import { ConversationRow } from "@/components/sidebar/conversation-row";

interface ConversationListProps {
  items: ConversationSummary[];
  activeId: string | null;
  editingId: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onNavigate: () => void;
  onStartRename: (id: string) => void;
  onRename: (id: string, title: string) => void;
  onCancelRename: () => void;
  onDelete: (conversation: ConversationSummary) => void;
}

/** Conversations grouped by date, loading the next page when the end scrolls into view. */
export function ConversationList({ items, activeId, editingId, hasMore, loadingMore, onLoadMore, ...rowHandlers }: ConversationListProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const groups = useMemo(() => groupByDate(items, (item) => item.updatedAt), [items]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onLoadMore();
      },
      { rootMargin: "200px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore, items.length]);

  return (
    <div>
      {groups.map((group) => (
        <section key={group.label} aria-label={group.label} className="mb-3">
          <h3 className="px-2.5 pb-1 text-xs font-medium text-muted">{group.label}</h3>
          <ul className="flex flex-col gap-px">
            {group.items.map((conversation) => (
              <ConversationRow
                key={conversation.id}
                conversation={conversation}
                active={conversation.id === activeId}
                editing={conversation.id === editingId}
                {...rowHandlers}
              />
            ))}
          </ul>
        </section>
      ))}
      {hasMore ? (
        <div ref={sentinel} data-testid="conversation-list-more" className="px-2.5 py-2 text-xs text-muted">
          {loadingMore ? "Loading…" : (
            <button type="button" onClick={onLoadMore} className="underline">
              Load more
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
