import { ProviderList } from "@/components/onboarding/provider-list";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export default async function OnboardingHome() {
  const health = await healthReport();
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-5 py-12">
      <header className="flex flex-col gap-3">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Wallet onboarding</p>
        <h1 className="text-3xl font-bold text-ink">Prove you own your wallet, once, for every provider</h1>
        <p className="text-base leading-relaxed text-ink-muted">
          You will connect your wallet and sign short, human-readable messages — nothing is sent from your wallet and no
          funds move. Each signature proves to one provider that the wallet is yours, so it can open your card, ramp or
          staking account.
        </p>
      </header>
      <ProviderList providers={health.providers} />
      <p className="text-sm text-ink-muted" data-testid="service-status">
        Service: {health.status === "ok" ? "all systems working" : "some providers are unreachable — you can still start"}
        {health.sandbox ? " · sandbox mode (built-in test providers)" : ""}
      </p>
    </main>
  );
}
