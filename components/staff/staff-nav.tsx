"use client";
/** The staff area's header: where you are (Overview, Onboardings, Providers, Sessions), who is signed in, sign out. */
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { onboardingApi } from "@/components/onboarding/onboarding-api";
import { Button } from "@/components/ui/button";
import { shortAddress } from "@/lib/wallet/settings";

const LINKS = [
  { href: "/staff", label: "Overview" },
  { href: "/staff/onboardings", label: "Onboardings" },
  { href: "/staff/providers", label: "Providers" },
  { href: "/staff/sessions", label: "Sessions" },
] as const;

function isCurrent(pathname: string, href: string): boolean {
  return href === "/staff" ? pathname === "/staff" : pathname === href || pathname.startsWith(`${href}/`);
}

/** Signs the wallet out of the app and shows the page again (the staff sign-in). */
export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="link"
      busy={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await onboardingApi.logout();
        } catch {
          // the cookie expires on its own
        }
        router.refresh();
        setBusy(false);
      }}
    >
      {label}
    </Button>
  );
}

/** Asks the server again (e.g. once the wallet was added to the staff list). */
export function CheckAgainButton() {
  const router = useRouter();
  return <Button onClick={() => router.refresh()}>Check again</Button>;
}

export function StaffNav({ address }: { address: string }) {
  const pathname = usePathname();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
        <nav aria-label="Staff" className="flex flex-wrap items-center gap-x-5 gap-y-1">
          <span className="font-bold text-brand">Staff</span>
          {LINKS.map((link) => {
            const current = isCurrent(pathname, link.href);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`rounded px-1 py-2 font-medium underline-offset-4 focus-visible:outline-3 focus-visible:outline-brand ${current ? "text-ink underline decoration-2" : "text-ink-muted hover:text-ink hover:underline"}`}
              >
                {link.label}
              </Link>
            );
          })}
        </nav>
        <div className="flex items-center gap-3 text-sm text-ink-muted">
          <span data-testid="staff-signed-in-as">
            Signed in as{" "}
            <span className="font-mono font-semibold text-ink" title={address}>
              {shortAddress(address)}
            </span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
