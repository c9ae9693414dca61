import type { ProviderHealth, ProviderState } from "@/lib/health";

const PROVIDERS: { id: keyof ProviderHealth; name: string; purpose: string }[] = [
  { id: "offblocks", name: "OffBlocks", purpose: "cards and payments — verifies your wallet before opening your account" },
  { id: "unblock", name: "Unblock", purpose: "euro and pound accounts that pay into your wallet — you sign in with your wallet or an emailed code" },
  { id: "bloq", name: "Bloq — staking", purpose: "optional: links your staking account to this wallet with one signed message; you can skip it" },
];

const BADGE: Record<ProviderState, { label: string; className: string }> = {
  ok: { label: "available", className: "bg-emerald-100 text-emerald-800" },
  down: { label: "unreachable", className: "bg-amber-100 text-amber-900" },
  checking: { label: "checking…", className: "bg-slate-100 text-ink-muted" },
};

export function ProviderList({ providers }: { providers: ProviderHealth }) {
  return (
    <section aria-labelledby="providers-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="providers-heading" className="text-lg font-semibold text-ink">
        Who will ask for a signature
      </h2>
      <ul className="mt-3 flex flex-col gap-3">
        {PROVIDERS.map((provider) => {
          const state = providers[provider.id];
          return (
            <li key={provider.id} className="flex items-start justify-between gap-4">
              <div>
                <p className="font-medium text-ink">{provider.name}</p>
                <p className="text-sm text-ink-muted">{provider.purpose}</p>
              </div>
              <span className={`shrink-0 rounded-full px-2.5 py-0.5 text-xs font-semibold ${BADGE[state].className}`}>{BADGE[state].label}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
