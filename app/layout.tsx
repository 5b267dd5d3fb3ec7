import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import "highlight.js/styles/github-dark.css";
import "./globals.css";
import { AppShell } from "@/components/layout/app-shell";
import { ChatStreamProvider } from "@/components/providers/chat-stream-provider";
import { THEME_BOOTSTRAP_SCRIPT } from "@/lib/client/theme";

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

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The per-request CSP nonce from proxy.ts; reading headers also keeps every page dynamic, which nonces need.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The theme script sets data-theme before hydration, so React must not treat it as a mismatch.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_BOOTSTRAP_SCRIPT }} />
      </head>
      <body>
        <ChatStreamProvider>
          <AppShell>{children}</AppShell>
        </ChatStreamProvider>
      </body>
    </html>
  );
}
