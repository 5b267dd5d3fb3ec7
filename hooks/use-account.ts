"use client";

import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "@/lib/client/api";
import * as auth from "@/lib/client/auth";
import { getSessionUser, type SessionUser } from "@/lib/client/session";

// A notice that must survive the page load that follows a change of identity.
const NOTICE_KEY = "forkline.account-notice";

/** "3 conversations moved to your account", or null when nothing moved. */
export function movedNotice(count: number): string | null {
  if (count <= 0) return null;
  return `${count} conversation${count === 1 ? "" : "s"} moved to your account`;
}

// Another identity must not see the previous one's list, open chat or streams: start the page afresh at home.
function startOver(notice: string | null): void {
  if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load is the point: no state of the previous identity survives.
  window.location.assign("/");
}

/** The current user (guest or account) and the account actions; a notice says what the last action did. */
export function useAccount() {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void getSessionUser().then((current) => {
      if (!live) return;
      setUser(current);
      setLoaded(true);
      const carried = sessionStorage.getItem(NOTICE_KEY);
      if (carried) {
        sessionStorage.removeItem(NOTICE_KEY);
        setNotice(carried);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  const signUp = useCallback(async (input: { name: string; email: string; password: string }) => {
    const result = await auth.signUp(input);
    setUser(result.user);
    setNotice(movedNotice(result.movedConversations) ?? "Your account is ready.");
  }, []);

  const signIn = useCallback(async (input: { email: string; password: string }) => {
    const result = await auth.signIn(input);
    startOver(movedNotice(result.movedConversations));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await auth.signOut();
      startOver(null);
    } catch (error) {
      setNotice(`Could not sign out: ${errorMessage(error)}`);
    }
  }, []);

  const changePassword = useCallback(async (input: { currentPassword: string; newPassword: string }) => {
    await auth.changePassword(input);
    setNotice("Password changed. Other browsers were signed out.");
  }, []);

  const deleteAccount = useCallback(async (input: { password: string }) => {
    await auth.deleteAccount(input);
    startOver("Your account and all its data were deleted.");
  }, []);

  const dismissNotice = useCallback(() => setNotice(null), []);

  return { user, loaded, notice, dismissNotice, signUp, signIn, signOut, changePassword, deleteAccount };
}

export type AccountControls = ReturnType<typeof useAccount>;
