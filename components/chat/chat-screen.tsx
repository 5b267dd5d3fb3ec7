"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { isSettled } from "@/lib/client/live-turn";
import { useChatActions } from "@/hooks/use-chat-actions";
import { useChatStream } from "@/hooks/use-chat-stream";
import { useConversation } from "@/hooks/use-conversation";
import { useModels } from "@/hooks/use-models";
import { useSettleLiveTurn } from "@/hooks/use-settle-live-turn";
import { BranchMenu } from "@/components/branches/branch-menu";
import { ChatHeader } from "@/components/chat/chat-header";
import { Composer } from "@/components/chat/composer";
import { EmptyChat } from "@/components/chat/empty-chat";
import { MessageList } from "@/components/chat/message-list";
import { ModelPicker } from "@/components/chat/model-picker";
import { UsagePanel } from "@/components/usage/usage-panel";
import { ErrorBanner } from "@/components/ui/error-banner";
import { IconButton } from "@/components/ui/icon-button";
import { ChartIcon } from "@/components/ui/icons";

/** A conversation (or a new one when `conversationId` is null): header, transcript, composer, usage drawer. */
export function ChatScreen({ conversationId }: { conversationId: string | null }) {
  const { detail, error: loadError, reload, loadEarlier } = useConversation(conversationId);
  const stream = useChatStream();
  const { models, selected: selectedModel } = useModels();
  const actions = useChatActions({ conversationId, detail, reload });
  const [usageOpen, setUsageOpen] = useState(false);

  const ownId = conversationId ?? actions.createdId;
  const live = stream.live && stream.live.conversationId === ownId ? stream.live : null;
  const streamingHere = live !== null && !isSettled(live.phase);
  const busy = stream.isStreaming || live !== null || actions.pending;

  useSettleLiveTurn(conversationId ? live : null, reload, stream.dismiss);

  const { stop } = stream;
  useEffect(() => {
    if (!streamingHere) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [streamingHere, stop]);

  const pageTitle = detail?.title?.trim();
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} · Forkline` : "Forkline";
  }, [pageTitle]);

  const demoModels = useMemo(() => new Set(models.filter((model) => model.demo).map((model) => model.id)), [models]);
  const turns = useMemo(() => {
    const all = detail?.turns ?? [];
    return live ? all.filter((turn) => turn.number < live.turnNumber) : all;
  }, [detail, live]);

  const closeUsage = useCallback(() => setUsageOpen(false), []);

  if (conversationId && loadError && !detail) {
    const notFound = loadError.status === 404;
    return (
      <div data-testid="chat" data-streaming="false" className="flex h-full min-h-0 flex-col">
        <ChatHeader title={notFound ? "Not found" : "Error"} />
        <div className="m-auto max-w-sm p-6 text-center">
          <p className="text-sm text-muted" data-testid="chat-load-error">
            {notFound ? "This conversation does not exist or was deleted." : loadError.message}
          </p>
          <div className="mt-4 flex justify-center gap-3 text-sm">
            {!notFound ? (
              <button type="button" onClick={() => void reload()} className="underline">
                Try again
              </button>
            ) : null}
            <Link href="/" className="underline">
              Start a new chat
            </Link>
          </div>
        </div>
      </div>
    );
  }

  const title = detail?.title?.trim() || (conversationId ? (detail ? "New conversation" : "") : "New chat");
  const usageVersion = detail ? `${detail.updatedAt}|${detail.activeBranchId}|${detail.turns.length}|${detail.costMicros}|${detail.unpricedCalls}` : "";
  const waitingForDetail = conversationId !== null && detail === null;

  return (
    <div data-testid="chat" data-streaming={streamingHere ? "true" : "false"} className="flex h-full min-h-0 flex-col">
      <ChatHeader title={title}>
        {detail ? (
          <BranchMenu
            branches={detail.branches}
            activeBranchId={detail.activeBranchId}
            disabled={busy}
            onSwitch={actions.switchBranch}
            onRename={actions.renameBranch}
            onDelete={actions.removeBranch}
          />
        ) : null}
        {conversationId ? (
          <IconButton label="Show usage and cost" data-testid="usage-button" onClick={() => setUsageOpen(true)} disabled={!detail}>
            <ChartIcon />
          </IconButton>
        ) : null}
      </ChatHeader>
      {waitingForDetail && !live ? (
        <div className="flex-1" aria-busy="true" data-testid="chat-loading" />
      ) : (
        <MessageList
          key={ownId ?? "new"}
          turns={turns}
          earlierOnServer={detail?.earlierTurns ?? 0}
          onLoadEarlier={loadEarlier}
          live={live}
          busy={busy}
          demoModels={demoModels}
          handlers={actions.handlers}
          empty={<EmptyChat />}
        />
      )}
      <Composer
        streaming={streamingHere}
        canSend={!busy && !waitingForDetail}
        placeholder={conversationId ? "Reply…" : "Send a message to start a conversation"}
        onSend={actions.send}
        onStop={stop}
        toolbar={<ModelPicker disabled={streamingHere} />}
        estimateTarget={
          conversationId && detail
            ? { conversationId, branchId: detail.activeBranchId, model: selectedModel?.id ?? null, version: `${usageVersion}|${detail.budgetMicros ?? ""}` }
            : null
        }
        notice={
          actions.error ? (
            <div className="mb-2">
              <ErrorBanner message={actions.error} onDismiss={actions.clearError} />
            </div>
          ) : null
        }
      />
      {usageOpen && conversationId ? <UsagePanel conversationId={conversationId} version={usageVersion} onClose={closeUsage} /> : null}
    </div>
  );
}
