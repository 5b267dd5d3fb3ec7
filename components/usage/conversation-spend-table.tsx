import Link from "next/link";
import type { UsageReviewReport } from "@/lib/api-types";
import { formatCost, formatTokens } from "@/lib/client/format";

/** Conversations ranked by spend (unknown costs last). */
export function ConversationSpendTable({ conversations }: { conversations: UsageReviewReport["conversations"] }) {
  const ranked = [...conversations].sort((a, b) => (b.usage.costMicros ?? -1) - (a.usage.costMicros ?? -1));
  if (ranked.length === 0) return <p className="text-sm text-muted">No conversations with usage in this range.</p>;
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
              <td className="py-1.5 text-right">{row.usage.costMicros === null ? "unknown" : formatCost(row.usage.costMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
