"use client";

import { useCallback, useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/client/api";

/** A form's submit handler that is busy while `action` runs and keeps its error message for the form to show. */
export function useAccountForm(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = useCallback(
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setBusy(false);
      }
    },
    [action],
  );

  return { busy, error, onSubmit: (event: FormEvent<HTMLFormElement>) => void onSubmit(event) };
}
