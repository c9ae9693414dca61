/**
 * One provider on the Providers page: configured or sandbox, health, base URL, last call, error rate (24 h)
 * and token expiry; and `Field`, the label–value row the page's sections share.
 */
import { useId } from "react";
import type { ProviderCard } from "@/lib/staff/providers";
import { PROVIDER_NAMES, when } from "./labels";

function rate(card: ProviderCard): string {
  if (card.errorRate === null) return "no calls";
  return `${(card.errorRate * 100).toFixed(1)} % (${card.errors} of ${card.calls})`;
}

export function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-2">
      <dt className="font-medium text-slate-700 sm:w-40 sm:shrink-0">{label}</dt>
      <dd className="break-words text-ink" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function ProviderCardView({ card }: { card: ProviderCard }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`provider-${card.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {PROVIDER_NAMES[card.name]}
        </h2>
        <span
          className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${card.health === "ok" ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`}
        >
          {card.health === "ok" ? "Reachable" : "Down"}
        </span>
      </div>
      <dl className="mt-3 flex flex-col gap-2 text-sm">
        <Field label="Mode" value={card.mode === "sandbox" ? "Sandbox (built-in emulator)" : "Configured (real host)"} testId={`provider-${card.name}-mode`} />
        <Field label="Base URL" value={card.baseUrl} />
        <Field label="Last call" value={card.lastCallAt ? `${when(card.lastCallAt)} (${card.lastCallOutcome})` : "none yet"} />
        <Field label="Error rate (24 h)" value={rate(card)} />
        <Field label="Token expires" value={card.tokenExpiresAt ? when(card.tokenExpiresAt) : card.name === "offblocks" ? "no token yet" : "not applicable"} />
      </dl>
    </section>
  );
}
