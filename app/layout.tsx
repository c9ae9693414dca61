import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Wallet onboarding",
  description: "Prove you own your wallet and get onboarded at our payment, ramp and staking providers.",
};

// Every page is rendered per request: the Content-Security-Policy carries a fresh nonce (proxy.ts) that
// Next.js must put on the page's scripts, which a page prerendered at build time could not have.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
