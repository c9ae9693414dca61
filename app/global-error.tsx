"use client";
/**
 * The root layout itself could not be rendered (the pages' own error boundaries, app/(onboarding)/error.tsx and
 * app/staff/error.tsx, are inside it): the app's name, what happened, and a retry — instead of Next's bare
 * error text. It replaces the whole document, so it brings its own <html> and <body>.
 */
import "./globals.css";
import { buttonClassName } from "@/components/ui/button";

export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-10 sm:px-5 sm:py-12" data-testid="global-error">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand">Wallet onboarding</p>
          <h1 className="text-2xl font-bold text-ink sm:text-3xl">Something went wrong on our side</h1>
          <p className="text-base leading-relaxed text-ink-muted">Nothing was sent from your wallet and nothing was lost. Try again in a moment.</p>
          <div>
            <button type="button" onClick={reset} className={buttonClassName("primary")}>
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
