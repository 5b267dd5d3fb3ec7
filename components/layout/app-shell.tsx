"use client";

import { useMemo, useState, type ReactNode } from "react";
import { SidebarContext } from "@/components/layout/sidebar-context";
import { Sidebar } from "@/components/sidebar/sidebar";

/** Sidebar on the left, the page on the right; the sidebar becomes an overlay below the md breakpoint. */
export function AppShell({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const controls = useMemo(() => ({ open, setOpen }), [open]);

  return (
    <SidebarContext.Provider value={controls}>
      <div className="flex h-dvh overflow-hidden bg-bg text-fg">
        <Sidebar open={open} onClose={() => setOpen(false)} />
        {open ? <div aria-hidden="true" className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={() => setOpen(false)} /> : null}
        <main className="flex min-w-0 flex-1 flex-col">{children}</main>
      </div>
    </SidebarContext.Provider>
  );
}
