"use client";

import { useState } from "react";
import { useAccountForm } from "@/hooks/use-account-form";
import { AccountDialog, Field } from "./account-dialog";

export type AuthMode = "sign-up" | "sign-in";

interface AuthDialogProps {
  initialMode: AuthMode;
  onSignUp: (input: { name: string; email: string; password: string }) => Promise<void>;
  onSignIn: (input: { email: string; password: string }) => Promise<void>;
  onClose: () => void;
}

/** Sign up (name, e-mail, password) or sign in (e-mail, password), with a link to switch between them. */
export function AuthDialog({ initialMode, onSignUp, onSignIn, onClose }: AuthDialogProps) {
  const [mode, setMode] = useState<AuthMode>(initialMode);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signingUp = mode === "sign-up";
  const form = useAccountForm(async () => {
    if (signingUp) await onSignUp({ name: name.trim() || email.split("@")[0] || "Me", email: email.trim(), password });
    else await onSignIn({ email: email.trim(), password });
    onClose();
  });

  return (
    <AccountDialog
      title={signingUp ? "Create your account" : "Sign in"}
      testId="auth-dialog"
      submitLabel={signingUp ? "Sign up" : "Sign in"}
      busy={form.busy}
      error={form.error}
      onSubmit={form.onSubmit}
      onCancel={onClose}
      footer={
        <button
          type="button"
          data-testid="auth-switch-mode"
          onClick={() => setMode(signingUp ? "sign-in" : "sign-up")}
          className="text-accent hover:underline"
        >
          {signingUp ? "I have an account" : "Create an account"}
        </button>
      }
    >
      {signingUp ? (
        <p className="text-sm text-muted">Your conversations as a guest move to your new account.</p>
      ) : null}
      {signingUp ? <Field label="Name" name="name" autoComplete="name" value={name} onChange={setName} autoFocus /> : null}
      <Field label="E-mail" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} autoFocus={!signingUp} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={signingUp ? "new-password" : "current-password"}
        value={password}
        onChange={setPassword}
      />
      {signingUp ? <p className="text-xs text-muted">At least 8 characters; a few unrelated words work well.</p> : null}
    </AccountDialog>
  );
}
