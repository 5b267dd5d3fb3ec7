"use client";

import { useContext } from "react";
import { SidebarContext, type SidebarControls } from "@/components/layout/sidebar-context";

export function useSidebar(): SidebarControls {
  return useContext(SidebarContext);
}
