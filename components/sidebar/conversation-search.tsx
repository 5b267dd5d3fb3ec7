"use client";

import { useEffect, useRef, useState } from "react";
import { SearchIcon } from "@/components/ui/icons";

/** Search box that reports its (debounced) text. */
export function ConversationSearch({ onSearch }: { onSearch: (query: string) => void }) {
  const [text, setText] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const change = (value: string) => {
    setText(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => onSearch(value.trim()), 250);
  };

  return (
    <label className="flex items-center gap-2 rounded-lg border border-line bg-bg px-2.5 py-1.5 text-sm focus-within:border-accent">
      <SearchIcon className="shrink-0 text-muted" />
      <input
        type="search"
        data-testid="conversation-search"
        aria-label="Search conversations"
        placeholder="Search"
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && text) {
            event.preventDefault();
            change("");
          }
        }}
        className="min-w-0 flex-1 bg-transparent outline-none placeholder:text-muted"
      />
    </label>
  );
}
