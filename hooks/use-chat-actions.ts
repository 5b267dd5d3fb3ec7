"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ConversationDetail, SiblingOption } from "@/lib/api-types";
import {
  createBranch,
  createConversation,
  deleteBranch,
  errorMessage,
  forkConversation,
  stopTurn,
  updateBranch,
} from "@/lib/client/api";
import { emitConversationEvent } from "@/lib/client/events";
import { lastTurnNumber, userText } from "@/lib/client/turn-parts";
import { useChatStream } from "@/hooks/use-chat-stream";
import { useModels } from "@/hooks/use-models";
import type { TurnHandlers } from "@/components/chat/turn-handlers";

interface ChatActionsOptions {
  conversationId: string | null;
  detail: ConversationDetail | null;
  reload: () => Promise<ConversationDetail | null>;
}

/** Everything the chat screen can do to a conversation: send, edit, regenerate, fork, switch and manage branches. */
export function useChatActions({ conversationId, detail, reload }: ChatActionsOptions) {
  const router = useRouter();
  const stream = useChatStream();
  const { selected } = useModels();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const latest = useRef({ conversationId, detail, model: selected?.id ?? null, createdId });

  useEffect(() => {
    latest.current = { conversationId, detail, model: selected?.id ?? null, createdId };
  }, [conversationId, detail, selected, createdId]);

  const { start, stop } = stream;

  const run = useCallback(async (task: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await task();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }, []);

  const send = useCallback(
    async (text: string): Promise<boolean> => {
      setError(null);
      const { conversationId: id, detail: current, model } = latest.current;
      let target = id ?? latest.current.createdId;
      try {
        if (!target) {
          const conversation = await createConversation();
          emitConversationEvent({ type: "created", conversation });
          target = conversation.id;
          setCreatedId(target);
          latest.current = { ...latest.current, createdId: target };
        }
        const turnNumber = id && current ? lastTurnNumber(current.turns) + 1 : 1;
        await start({ kind: "message", conversationId: target, message: text, model: model ?? undefined }, { turnNumber, userText: text, model });
        if (!id) router.push(`/c/${target}`);
        return true;
      } catch (err) {
        setError(errorMessage(err));
        return false;
      }
    },
    [router, start],
  );

  const edit = useCallback(
    async (turnNumber: number, text: string): Promise<boolean> => {
      const { conversationId: id, model } = latest.current;
      if (!id) return false;
      setError(null);
      let branchId: string;
      try {
        branchId = await createBranch(id, { fromTurn: turnNumber, inclusive: false });
      } catch (err) {
        setError(errorMessage(err));
        return false;
      }
      try {
        await start({ kind: "message", conversationId: id, message: text, branchId, model: model ?? undefined }, { turnNumber, userText: text, model });
        return true;
      } catch (err) {
        setError(errorMessage(err));
        await reload();
        return false;
      }
    },
    [reload, start],
  );

  const regenerate = useCallback(
    (turnNumber: number) => {
      const { conversationId: id, detail: current, model } = latest.current;
      if (!id) return;
      const turn = current?.turns.find((candidate) => candidate.number === turnNumber);
      setError(null);
      start({ kind: "regenerate", conversationId: id, turnNumber, model: model ?? undefined }, { turnNumber, userText: turn ? userText(turn.messages) : "", model }).catch(
        (err: unknown) => setError(errorMessage(err)),
      );
    },
    [start],
  );

  const forkHere = useCallback(
    (turnNumber: number) => {
      const id = latest.current.conversationId;
      if (!id) return;
      void run(async () => {
        await createBranch(id, { fromTurn: turnNumber, inclusive: true });
        await reload();
      });
    },
    [reload, run],
  );

  const forkNew = useCallback(
    (turnNumber: number) => {
      const id = latest.current.conversationId;
      if (!id) return;
      void run(async () => {
        const conversation = await forkConversation(id, turnNumber);
        emitConversationEvent({ type: "created", conversation });
        router.push(`/c/${conversation.id}`);
      });
    },
    [router, run],
  );

  const switchBranch = useCallback(
    async (branchId: string) => {
      const id = latest.current.conversationId;
      if (!id) return;
      await run(async () => {
        await updateBranch(id, branchId, { active: true });
        await reload();
      });
    },
    [reload, run],
  );

  const switchSibling = useCallback(
    (option: SiblingOption) => {
      if (option.branchId) void switchBranch(option.branchId);
    },
    [switchBranch],
  );

  const renameBranch = useCallback(
    async (branchId: string, name: string) => {
      const id = latest.current.conversationId;
      if (!id) return;
      await run(async () => {
        await updateBranch(id, branchId, { name });
        await reload();
      });
    },
    [reload, run],
  );

  const removeBranch = useCallback(
    async (branchId: string) => {
      const id = latest.current.conversationId;
      if (!id) return;
      await run(async () => {
        await deleteBranch(id, branchId);
        await reload();
        emitConversationEvent({ type: "updated", id });
      });
    },
    [reload, run],
  );

  const stopRemote = useCallback(
    (turnId: string) => {
      const id = latest.current.conversationId;
      if (!id) return;
      void run(async () => {
        await stopTurn(id, turnId);
        for (let attempt = 0; attempt < 5; attempt++) {
          const fresh = await reload();
          if (!fresh?.turns.some((turn) => turn.id === turnId && turn.status === "in_progress")) return;
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
      });
    },
    [reload, run],
  );

  const handlers = useMemo<TurnHandlers>(
    () => ({ onEdit: edit, onRegenerate: regenerate, onForkHere: forkHere, onForkNew: forkNew, onSwitchSibling: switchSibling, onStopRemote: stopRemote }),
    [edit, regenerate, forkHere, forkNew, switchSibling, stopRemote],
  );

  return {
    handlers,
    send,
    stop,
    switchBranch,
    renameBranch,
    removeBranch,
    createdId,
    pending,
    error,
    clearError: useCallback(() => setError(null), []),
  };
}
