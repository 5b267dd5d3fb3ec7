/** The model's reasoning summary, collapsed by default. */
export function ReasoningBlock({ text }: { text: string }) {
  return (
    <details data-testid="reasoning" className="my-2 text-sm text-muted">
      <summary className="cursor-pointer select-none">Reasoning</summary>
      <p className="mt-1 border-l-2 border-line pl-3 whitespace-pre-wrap">{text}</p>
    </details>
  );
}
