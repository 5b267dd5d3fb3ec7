"use client";

import { useRef, type ComponentPropsWithoutRef } from "react";
import { useCopy } from "@/hooks/use-copy";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";

/** A fenced code block with a copy button. */
export function CodeBlock({ children, node: _node, ...rest }: ComponentPropsWithoutRef<"pre"> & { node?: unknown }) {
  const ref = useRef<HTMLPreElement>(null);
  const { copied, copy } = useCopy();
  return (
    <div className="md-code group/code relative">
      <button
        type="button"
        data-testid="code-copy-button"
        aria-label={copied ? "Copied code" : "Copy code"}
        onClick={() => void copy(ref.current?.textContent ?? "")}
        className="absolute top-1.5 right-1.5 rounded-md bg-white/10 p-1.5 text-zinc-300 opacity-0 transition group-hover/code:opacity-100 hover:bg-white/20 focus-visible:opacity-100 [@media(hover:none)]:opacity-100"
      >
        {copied ? <CheckIcon /> : <CopyIcon />}
      </button>
      <pre ref={ref} {...rest}>
        {children}
      </pre>
    </div>
  );
}
