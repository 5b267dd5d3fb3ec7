import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "highlight.js/styles/github-dark.css";
import "./globals.css";
import { AppShell } from "@/components/layout/app-shell";
import { ChatStreamProvider } from "@/components/providers/chat-stream-provider";

export const metadata: Metadata = {
  title: { default: "Forkline", template: "%s · Forkline" },
  description: "Chat with AI agents in conversations that branch.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f0f13" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ChatStreamProvider>
          <AppShell>{children}</AppShell>
        </ChatStreamProvider>
      </body>
    </html>
  );
}
