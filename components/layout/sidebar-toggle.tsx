"use client";

import { IconButton } from "@/components/ui/icon-button";
import { MenuIcon } from "@/components/ui/icons";
import { useSidebar } from "@/hooks/use-sidebar";

/** Opens the sidebar; only shown on narrow screens. */
export function SidebarToggle() {
  const { open, setOpen } = useSidebar();
  return (
    <IconButton label="Open sidebar" data-testid="sidebar-toggle" aria-expanded={open} onClick={() => setOpen(true)} className="md:hidden">
      <MenuIcon />
    </IconButton>
  );
}
