"use client";

import { useEffect, useRef, useState } from "react";
import { useAccount } from "@/hooks/use-account";
import { CloseIcon } from "@/components/ui/icons";
import { AuthDialog, type AuthMode } from "./auth-dialog";
import { ChangePasswordDialog } from "./change-password-dialog";
import { DeleteAccountDialog } from "./delete-account-dialog";

type Dialog = AuthMode | "change-password" | "delete-account" | null;

const menuItem = "block w-full rounded-md px-2.5 py-1.5 text-left text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent";

/** The sidebar's footer: who you are (a guest badge and a sign-up nudge, or name and e-mail) and the account actions. */
export function AccountMenu() {
  const account = useAccount();
  const { user } = account;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const show = (next: Dialog) => {
    setOpen(false);
    setDialog(next);
  };
  const close = () => setDialog(null);

  return (
    <div ref={root} data-testid="account-area" data-guest={user ? String(user.isGuest) : undefined} className="relative border-t border-line p-2">
      {account.notice ? (
        <div role="status" data-testid="account-notice" className="mb-2 flex items-start gap-2 rounded-lg border border-ok/40 bg-ok/10 px-2.5 py-2 text-sm text-ok">
          <span className="min-w-0 flex-1">{account.notice}</span>
          <button type="button" aria-label="Dismiss notice" data-testid="account-notice-dismiss" onClick={account.dismissNotice} className="shrink-0 rounded p-0.5 hover:bg-ok/10">
            <CloseIcon width={14} height={14} />
          </button>
        </div>
      ) : null}
      {!account.loaded ? <p className="px-2.5 py-2 text-sm text-muted">…</p> : null}
      {account.loaded && (!user || user.isGuest) ? (
        <div className="flex flex-col gap-2 px-1 py-1">
          <div className="flex items-center gap-2">
            <span data-testid="account-guest-badge" className="rounded-full border border-line bg-bg px-2 py-0.5 text-xs font-medium text-muted">
              Guest
            </span>
          </div>
          <p data-testid="account-nudge" className="text-sm text-muted">
            You are a guest — sign up to keep your chats
          </p>
          <div className="flex gap-2">
            <button
              type="button"
              data-testid="account-sign-up"
              onClick={() => show("sign-up")}
              className="flex-1 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-accent"
            >
              Sign up
            </button>
            <button
              type="button"
              data-testid="account-sign-in"
              onClick={() => show("sign-in")}
              className="flex-1 rounded-md border border-line px-3 py-1.5 text-sm hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
            >
              Sign in
            </button>
          </div>
        </div>
      ) : null}
      {user && !user.isGuest ? (
        <>
          <button
            type="button"
            data-testid="account-menu-button"
            aria-haspopup="menu"
            aria-expanded={open}
            aria-label={`Account: ${user.name}`}
            onClick={() => setOpen((value) => !value)}
            className="flex w-full min-w-0 flex-col items-start rounded-lg px-2.5 py-1.5 text-left hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
          >
            <span data-testid="account-name" className="w-full truncate text-sm font-medium">
              {user.name}
            </span>
            <span data-testid="account-email" className="w-full truncate text-xs text-muted">
              {user.email}
            </span>
          </button>
          {open ? (
            <div role="menu" aria-label="Account" data-testid="account-menu" className="absolute inset-x-2 bottom-full z-30 mb-1 rounded-xl border border-line bg-elevated p-1.5 shadow-xl">
              <button type="button" role="menuitem" data-testid="account-change-password" className={menuItem} onClick={() => show("change-password")}>
                Change password
              </button>
              <button
                type="button"
                role="menuitem"
                data-testid="account-sign-out"
                className={menuItem}
                onClick={() => {
                  setOpen(false);
                  void account.signOut();
                }}
              >
                Sign out
              </button>
              <button type="button" role="menuitem" data-testid="account-delete" className={`${menuItem} text-danger`} onClick={() => show("delete-account")}>
                Delete account…
              </button>
            </div>
          ) : null}
        </>
      ) : null}
      {dialog === "sign-up" || dialog === "sign-in" ? (
        <AuthDialog initialMode={dialog} onSignUp={account.signUp} onSignIn={account.signIn} onClose={close} />
      ) : null}
      {dialog === "change-password" ? <ChangePasswordDialog onChange={account.changePassword} onClose={close} /> : null}
      {dialog === "delete-account" ? <DeleteAccountDialog email={user?.email ?? null} onDelete={account.deleteAccount} onClose={close} /> : null}
    </div>
  );
}
