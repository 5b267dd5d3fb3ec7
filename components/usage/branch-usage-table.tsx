import type { BranchUsageView } from "@/lib/api-types";
import { costsOf, moneyDecimals } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";
import { CacheSummary } from "@/components/usage/cache-summary";

/** Per branch: cost inherited up to its fork point, its own turns, and the total along its path, at one precision. */
export function BranchUsageTable({ branches }: { branches: BranchUsageView[] }) {
  const decimals = moneyDecimals(costsOf(branches.flatMap((branch) => [branch.inherited, branch.own, branch.total])));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-line text-left text-xs text-muted">
            <th className="py-1.5 pr-3 font-medium">Branch</th>
            <th className="py-1.5 pr-3 text-right font-medium">Inherited</th>
            <th className="py-1.5 pr-3 text-right font-medium">Own</th>
            <th className="py-1.5 text-right font-medium">Path total</th>
          </tr>
        </thead>
        <tbody>
          {branches.map((branch) => (
            <tr key={branch.branchId} data-testid="usage-branch-row" data-branch-id={branch.branchId} className="border-b border-line/60 tabular-nums">
              <td className="max-w-[10rem] py-1.5 pr-3">
                <span className="block truncate">
                  {branch.name}
                  {branch.isCurrent ? <span className="ml-1 text-xs text-accent">(active)</span> : null}
                </span>
                {branch.forkedFromTurn !== null ? <span className="block text-[11px] text-muted">forked at turn {branch.forkedFromTurn}</span> : null}
                <span className="block text-[11px] text-muted empty:hidden">
                  <CacheSummary usage={branch.total} hitRate={branch.cacheHitRate} testId="usage-branch-cache" />
                </span>
              </td>
              <td className="py-1.5 pr-3 text-right">
                <CostFigureText figure={branch.inherited} decimals={decimals} testId="usage-branch-inherited" />
              </td>
              <td className="py-1.5 pr-3 text-right">
                <CostFigureText figure={branch.own} decimals={decimals} testId="usage-branch-own" />
              </td>
              <td className="py-1.5 text-right">
                <CostFigureText figure={branch.total} decimals={decimals} testId="usage-branch-total" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
