import type { Metadata } from "next";
import { headers } from "next/headers";
import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";

import { NonceSetter } from "@/components/nonce-setter";
import { ThemeProvider } from "@/components/theme-provider";

import "./globals.css";

// Every page carries a per-request CSP nonce and live data: never prerender one at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Keyward", template: "%s · Keyward" },
  description: "A console for Azure Key Vault Managed HSM.",
  robots: { index: false, follow: false },
  // The one icon, from public/: the SVG for browsers, an ICO for tools and pages without these
  // links, a full-bleed PNG for phones' home screens.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request's nonce makes every page dynamic, which a nonce-based CSP requires.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html
      lang="en"
      suppressHydrationWarning
      className={`${GeistSans.variable} ${GeistMono.variable}`}
    >
      <body className="min-h-svh font-sans">
        <NonceSetter nonce={nonce} />
        <ThemeProvider
          attribute="class"
          defaultTheme="system"
          enableSystem
          disableTransitionOnChange
          nonce={nonce}
        >
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
