import type { UsageTotals } from "@/lib/api-types";
import { formatTokens } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";

interface TurnUsageProps {
  usage: UsageTotals | null;
  model: string | null;
  demo: boolean;
}

/** Tokens (input / cached / output / reasoning), cost and model of one assistant turn. */
export function TurnUsage({ usage, model, demo }: TurnUsageProps) {
  return (
    <div data-testid="turn-usage" className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-[11px] leading-4 text-muted tabular-nums">
      {usage ? (
        <>
          <span title="Input tokens">in {formatTokens(usage.inputTokens)}</span>
          <span title="Cached input tokens">cached {formatTokens(usage.cachedInputTokens)}</span>
          <span title="Output tokens">out {formatTokens(usage.outputTokens)}</span>
          <span title="Reasoning tokens">reasoning {formatTokens(usage.reasoningTokens)}</span>
          <CostFigureText figure={usage} testId="turn-cost" />
          {usage.estimated ? <span title="The server sent no usage; counted with a tokenizer">estimated</span> : null}
        </>
      ) : (
        <span>usage not recorded</span>
      )}
      {model ? (
        <span className="truncate">
          · {model}
          {demo ? " (demo)" : ""}
        </span>
      ) : null}
    </div>
  );
}
