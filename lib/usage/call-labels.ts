// What a person reads for one ledger row of a turn; plain data, safe for client code.

const PURPOSE_LABELS: Record<string, string> = {
  title: "title (conversation overhead)",
  compaction: "compaction",
  memory: "memory",
};

/** Labels a turn's calls in order: its first answer call, then follow-up calls (after tools or a retried attempt). */
export function labelCalls(calls: { purpose: string; estimated: boolean }[]): string[] {
  let answers = 0;
  return calls.map((call) => {
    const base = call.purpose === "turn" ? (answers++ === 0 ? "answer" : `follow-up call ${answers}`) : (PURPOSE_LABELS[call.purpose] ?? call.purpose);
    return call.estimated ? `${base} · estimated` : base;
  });
}
