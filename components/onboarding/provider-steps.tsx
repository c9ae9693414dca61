"use client";
/**
 * The provider steps after OffBlocks (Unblock, then the optional Bloq), each in its own chunk loaded on demand,
 * and when the page shows them.
 */
import dynamic from "next/dynamic";
import type { Onboarding } from "./onboarding-types";

/** The Unblock step (form, two ways to sign in, the account), in its own chunk: only the status page needs it. */
export const UnblockStep = dynamic(() => import("./step-unblock"), {
  ssr: false,
  loading: () => (
    <p role="status" className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-6 text-ink-muted shadow-sm">
      <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-brand border-r-transparent" />
      Loading the Unblock step…
    </p>
  ),
});

/** The optional Bloq step (link a staking account), in its own chunk too: shown after OffBlocks, below Unblock. */
export const BloqStep = dynamic(() => import("./step-bloq"), {
  ssr: false,
  loading: () => (
    <p role="status" className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-6 text-ink-muted shadow-sm">
      <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-brand border-r-transparent" />
      Loading the staking step…
    </p>
  ),
});

/** OffBlocks has the wallet's signature and has not turned it down: Unblock (and, optionally, Bloq) come next. */
export function unblockAvailable(onboarding: Onboarding | null): boolean {
  const status = onboarding?.steps.offblocks.status;
  return status === "verified" || status === "screening" || status === "verifying" || status === "active";
}
