/**
 * A page that does not exist (a mistyped address, an old link, a staff link to an onboarding that was deleted):
 * the app's own 404 — its name, what happened in one sentence, and the ways on — instead of Next's bare one.
 */
import type { Metadata } from "next";
import { buttonClassName } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found · Wallet onboarding" };

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-10 sm:px-5 sm:py-12" data-testid="not-found">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand">Wallet onboarding</p>
      <h1 className="text-2xl font-bold text-ink sm:text-3xl">This page does not exist</h1>
      <p className="text-base leading-relaxed text-ink-muted">The address may be mistyped, or the link is out of date. Nothing was changed.</p>
      {/* plain links, not next/link: its client code would join every page's first load for a page seldom seen */}
      <nav aria-label="Ways on" className="flex flex-wrap gap-3">
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load from a 404 is fine */}
        <a href="/" className={buttonClassName("primary")}>
          Go to the onboarding
        </a>
        <a href="/staff" className={buttonClassName("secondary")}>
          Staff pages
        </a>
      </nav>
    </main>
  );
}
