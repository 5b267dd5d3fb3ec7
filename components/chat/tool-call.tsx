import { ToolIcon } from "@/components/ui/icons";

interface ToolCallProps {
  toolName: string;
  arguments: string;
  output: string | null;
  pending: boolean;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A tool call and its output, collapsed by default. */
export function ToolCall({ toolName, arguments: args, output, pending }: ToolCallProps) {
  return (
    <details data-testid="tool-call" className="my-2 rounded-lg border border-line bg-panel text-sm">
      <summary className="flex cursor-pointer items-center gap-2 px-3 py-1.5 text-muted select-none">
        <ToolIcon width={14} height={14} />
        <span className="font-mono text-xs text-fg">{toolName}</span>
        <span className="text-xs">{output === null ? (pending ? "running…" : "no output") : "done"}</span>
      </summary>
      <div className="space-y-2 border-t border-line px-3 py-2">
        {args ? (
          <pre className="max-h-60 overflow-auto font-mono text-xs whitespace-pre-wrap break-words">{pretty(args)}</pre>
        ) : null}
        {output !== null ? (
          <pre className="max-h-60 overflow-auto border-t border-line pt-2 font-mono text-xs whitespace-pre-wrap break-words">{pretty(output)}</pre>
        ) : null}
      </div>
    </details>
  );
}
