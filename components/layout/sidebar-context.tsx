"use client";

import { createContext } from "react";

/** Opens and closes the sidebar on narrow screens (on wide screens it is always shown). */
export interface SidebarControls {
  open: boolean;
  setOpen: (open: boolean) => void;
}

export const SidebarContext = createContext<SidebarControls>({ open: false, setOpen: () => {} });
