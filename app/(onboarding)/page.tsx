import { OnboardingFlow } from "@/components/onboarding/onboarding-flow";
import { ProviderList } from "@/components/onboarding/provider-list";
import { healthReport } from "@/lib/health";
import { walletSettings } from "@/lib/public-config";
import { hasSessionCookie } from "@/lib/session";

export const dynamic = "force-dynamic";

export default async function OnboardingHome() {
  const health = await healthReport();
  const settings = walletSettings("Wallet onboarding");
  // a first visit (no session cookie): the page arrives with its Connect button, and asks the server nothing more
  const newVisitor = !(await hasSessionCookie());
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-4 py-10 sm:px-5 sm:py-12">
      <header className="flex flex-col gap-3">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Wallet onboarding</p>
        <h1 className="text-2xl font-bold text-ink sm:text-3xl">Prove you own your wallet, once, for every provider</h1>
        <p className="text-base leading-relaxed text-ink-muted">Two signatures, no transaction, no funds moved. Then open your accounts.</p>
        <details className="text-sm text-ink-muted" data-testid="what-happens">
          <summary className="cursor-pointer font-medium text-brand underline underline-offset-2">What happens, step by step</summary>
          <p className="mt-2 leading-relaxed">
            You connect your wallet and sign one message that signs you in here, then a second message that OffBlocks, our card and payments provider, asks for.
            The first signature proves to us that the wallet is yours and the second proves it to OffBlocks; neither is a transaction, and no funds move. Then
            you can open a euro or pound account with Unblock, signing in to it with your wallet or a code sent by email, and, if you stake with Bloq, link that
            account by signing Bloq’s message — or skip it.
          </p>
        </details>
      </header>
      <OnboardingFlow settings={settings} newVisitor={newVisitor} beforeSignIn={<ProviderList providers={health.providers} />} />
      <p className="text-sm text-ink-muted" data-testid="service-status">
        Service: {health.status === "ok" ? "all systems working" : "some providers are unreachable — you can still start"}
        {health.sandbox ? " · sandbox mode (built-in test providers)" : ""}
      </p>
    </main>
  );
}
