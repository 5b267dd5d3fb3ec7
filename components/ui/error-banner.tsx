import { CloseIcon } from "@/components/ui/icons";

/** An inline, dismissable error message. */
export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  return (
    <div role="alert" data-testid="error-banner" className="flex items-start gap-2 rounded-lg border border-danger/40 bg-danger/10 px-3 py-2 text-sm text-danger">
      <span className="min-w-0 flex-1 break-words">{message}</span>
      {onDismiss ? (
        <button type="button" aria-label="Dismiss error" onClick={onDismiss} className="shrink-0 rounded p-0.5 hover:bg-danger/10">
          <CloseIcon width={14} height={14} />
        </button>
      ) : null}
    </div>
  );
}
