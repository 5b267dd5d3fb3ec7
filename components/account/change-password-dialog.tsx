"use client";

import { useState } from "react";
import { useAccountForm } from "@/hooks/use-account-form";
import { AccountDialog, Field } from "./account-dialog";

interface ChangePasswordDialogProps {
  onChange: (input: { currentPassword: string; newPassword: string }) => Promise<void>;
  onClose: () => void;
}

/** Asks for the current and a new password; other browsers of the account are signed out. */
export function ChangePasswordDialog({ onChange, onClose }: ChangePasswordDialogProps) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const form = useAccountForm(async () => {
    await onChange({ currentPassword, newPassword });
    onClose();
  });

  return (
    <AccountDialog
      title="Change password"
      testId="change-password-dialog"
      submitLabel="Change password"
      busy={form.busy}
      error={form.error}
      onSubmit={form.onSubmit}
      onCancel={onClose}
    >
      <Field
        label="Current password"
        name="current-password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrentPassword}
        autoFocus
      />
      <Field label="New password" name="new-password" type="password" autoComplete="new-password" value={newPassword} onChange={setNewPassword} />
    </AccountDialog>
  );
}
