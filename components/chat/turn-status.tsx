import type { TurnStatus } from "@/lib/api-types";
import { RefreshIcon } from "@/components/ui/icons";

const LABELS: Partial<Record<TurnStatus, string>> = {
  stopped: "Stopped",
  failed: "Failed",
  interrupted: "Interrupted",
};

interface TurnStatusNoticeProps {
  status: TurnStatus;
  error: { code: string; message: string } | null;
  onRetry?: () => void;
  retryDisabled?: boolean;
}

/** Marks a stopped, failed or interrupted turn, with its error and a Retry button. */
export function TurnStatusNotice({ status, error, onRetry, retryDisabled }: TurnStatusNoticeProps) {
  const label = LABELS[status];
  if (!label) return null;
  const tone = status === "failed" ? "border-danger/40 bg-danger/10 text-danger" : "border-warn/40 bg-warn/10 text-warn";
  return (
    <div className={`mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border px-3 py-2 text-sm ${tone}`}>
      <span data-testid="turn-status" data-status={status} className="font-medium">
        {label}
      </span>
      {error ? (
        <span data-testid="turn-error" className="min-w-0 flex-1 break-words text-fg/80">
          {error.message}
        </span>
      ) : (
        <span className="min-w-0 flex-1 text-fg/70">
          {status === "stopped" ? "The reply was stopped; the partial answer is kept." : "The reply did not finish."}
        </span>
      )}
      {onRetry ? (
        <button
          type="button"
          data-testid="retry-button"
          onClick={onRetry}
          disabled={retryDisabled}
          className="inline-flex items-center gap-1.5 rounded-md border border-current/30 px-2 py-1 text-xs font-medium hover:bg-current/10 disabled:opacity-40"
        >
          <RefreshIcon width={13} height={13} />
          Retry
        </button>
      ) : null}
    </div>
  );
}
