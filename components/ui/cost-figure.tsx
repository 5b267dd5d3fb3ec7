import type { CostFigure } from "@/lib/api-types";
import { costFigureTitle, formatCostFigure } from "@/lib/client/format";

interface CostFigureTextProps {
  /** Null = nothing recorded ("—"); a figure that exists always shows its known part. */
  figure: CostFigure | null | undefined;
  /** The precision shared with the figures shown beside it (`moneyDecimals`); default: its own. */
  decimals?: number;
  testId?: string;
  className?: string;
}

/** A cost as text, with its exact micro-dollars and unpriced models in the tooltip. */
export function CostFigureText({ figure, decimals, testId, className }: CostFigureTextProps) {
  if (!figure) {
    return (
      <span data-testid={testId} className={className} title="Nothing recorded">
        —
      </span>
    );
  }
  return (
    <span data-testid={testId} className={className} title={costFigureTitle(figure)}>
      {formatCostFigure(figure, decimals)}
    </span>
  );
}
