import Link from "next/link";
import type { UsageReviewReport, UsageTotals } from "@/lib/api-types";
import { costsOf, formatTokens, moneyDecimals } from "@/lib/client/format";
import { CostFigureText } from "@/components/ui/cost-figure";

interface ConversationSpendTableProps {
  conversations: UsageReviewReport["conversations"];
  /** Calls of conversations deleted since, as one line under the others. */
  deleted: UsageTotals | null;
}

/** Conversations ranked by known spend, then by unpriced calls; deleted ones as one last line. */
export function ConversationSpendTable({ conversations, deleted }: ConversationSpendTableProps) {
  const ranked = [...conversations].sort((a, b) => b.usage.costMicros - a.usage.costMicros || b.usage.unpricedCalls - a.usage.unpricedCalls);
  if (ranked.length === 0 && !deleted) return <p className="text-sm text-muted">No conversations with usage in this range.</p>;
  const decimals = moneyDecimals(costsOf([...ranked.map((row) => row.usage), deleted]));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="usage-conversations">
        <thead>
          <tr className="border-b border-line text-left text-xs text-muted">
            <th className="py-1.5 pr-3 font-medium">#</th>
            <th className="py-1.5 pr-3 font-medium">Conversation</th>
            <th className="py-1.5 pr-3 text-right font-medium">Tokens</th>
            <th className="py-1.5 text-right font-medium">Cost</th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((row, index) => (
            <tr key={row.id} data-testid="usage-conversation-row" data-conversation-id={row.id} className="border-b border-line/60 tabular-nums">
              <td className="py-1.5 pr-3 text-muted">{index + 1}</td>
              <td className="max-w-[16rem] py-1.5 pr-3">
                <Link href={`/c/${row.id}`} className="block truncate hover:underline">
                  {row.title?.trim() || "New conversation"}
                </Link>
              </td>
              <td className="py-1.5 pr-3 text-right">{formatTokens(row.usage.totalTokens)}</td>
              <td className="py-1.5 text-right">
                <CostFigureText figure={row.usage} decimals={decimals} />
              </td>
            </tr>
          ))}
          {deleted ? (
            <tr data-testid="usage-deleted-conversations" className="border-b border-line/60 text-muted tabular-nums">
              <td className="py-1.5 pr-3" />
              <td className="py-1.5 pr-3 italic">Deleted conversations</td>
              <td className="py-1.5 pr-3 text-right">{formatTokens(deleted.totalTokens)}</td>
              <td className="py-1.5 text-right">
                <CostFigureText figure={deleted} decimals={decimals} />
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
