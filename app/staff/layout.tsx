import type { Metadata } from "next";
import { CheckAgainButton, SignOutButton, StaffNav } from "@/components/staff/staff-nav";
import { StaffQueryProvider } from "@/components/staff/staff-query-provider";
import { StaffSignIn } from "@/components/staff/staff-sign-in";
import { CopyButton } from "@/components/ui/copy-button";
import { walletSettings } from "@/lib/public-config";
import { viewerOnce } from "./page-metadata";

export const metadata: Metadata = { title: { default: "Staff", template: "%s · Staff" } };
export const dynamic = "force-dynamic";

/**
 * Every /staff page: the staff sign-in when nobody is signed in, a refusal for a wallet that is not staff
 * (the pages' data comes from /api/staff/*, which refuses the same way), else the page under the staff header,
 * with the staff pages' react-query client.
 */
export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  const viewer = await viewerOnce();
  if (viewer.kind === "signed_out") {
    return (
      <main id="main" className="px-4 py-10">
        <StaffSignIn settings={walletSettings("Wallet onboarding · Staff")} />
      </main>
    );
  }
  if (viewer.kind === "not_staff") {
    return (
      <main id="main" className="px-4 py-10">
        <section className="mx-auto flex w-full max-w-xl flex-col gap-4 rounded-xl border border-red-300 bg-white p-6 shadow-sm" data-testid="staff-refused">
          <h1 className="text-2xl font-bold">This wallet is not on the staff list</h1>
          <p className="leading-relaxed text-ink-muted">
            You are signed in as <span className="break-all font-mono font-semibold text-ink">{viewer.address}</span>, which may not see the staff pages. If you
            are staff, ask an administrator to run this in the app&apos;s folder (it works while the app runs), then check again. Or sign out and use your staff
            wallet.
          </p>
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-lg bg-slate-100 px-3 py-2">
            <code className="min-w-0 break-all font-mono text-sm text-ink" data-testid="staff-add-command">
              npm run cli -- staff add {viewer.address}
            </code>
            <CopyButton value={`npm run cli -- staff add ${viewer.address}`} label="the command" />
          </div>
          <div className="flex flex-wrap items-center gap-4">
            <CheckAgainButton />
            <SignOutButton label="Sign out and use another wallet" />
          </div>
        </section>
      </main>
    );
  }
  return (
    <div className="flex min-h-screen flex-col">
      <StaffNav address={viewer.address} />
      <StaffQueryProvider>{children}</StaffQueryProvider>
    </div>
  );
}
