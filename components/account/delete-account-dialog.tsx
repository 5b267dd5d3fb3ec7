"use client";

import { useState } from "react";
import { useAccountForm } from "@/hooks/use-account-form";
import { AccountDialog, Field } from "./account-dialog";

interface DeleteAccountDialogProps {
  email: string | null;
  onDelete: (input: { password: string }) => Promise<void>;
  onClose: () => void;
}

/** Confirms deleting the account and all its data with the account's password. */
export function DeleteAccountDialog({ email, onDelete, onClose }: DeleteAccountDialogProps) {
  const [password, setPassword] = useState("");
  const form = useAccountForm(() => onDelete({ password }));

  return (
    <AccountDialog
      title="Delete your account?"
      testId="delete-account-dialog"
      submitLabel="Delete account"
      danger
      busy={form.busy}
      error={form.error}
      onSubmit={form.onSubmit}
      onCancel={onClose}
    >
      <p className="text-sm text-muted">
        The account {email ? <strong className="text-fg">{email}</strong> : null} and all its conversations and settings will be deleted. This
        cannot be undone.
      </p>
      <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} autoFocus />
    </AccountDialog>
  );
}
