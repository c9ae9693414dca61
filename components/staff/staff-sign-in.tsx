"use client";
/**
 * Staff sign-in: the same wallet sign-in as end users (connect, then sign the app's EIP-4361 message), after
 * which the server decides — from STAFF_ADDRESSES or the staff table — whether the wallet may see the staff
 * pages; the page is then re-rendered from the server.
 */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ApiError } from "@/components/onboarding/onboarding-api";
import { signInWithWallet } from "@/components/onboarding/sign-in-with-wallet";
import { WalletSummary } from "@/components/onboarding/wallet-summary";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useChainSwitch } from "@/components/wallet/use-chain-switch";
import { useWalletLayer } from "@/components/wallet/use-wallet-layer";
import { WrongChainAlert } from "@/components/wallet/wrong-chain-alert";
import { WalletActionError, walletRemembered } from "@/lib/wallet/bridge";
import { chainName, type WalletSettings } from "@/lib/wallet/settings";

export function StaffSignIn({ settings }: { settings: WalletSettings }) {
  const router = useRouter();
  const { wallet, actions, load, connect, layer } = useWalletLayer(settings);
  const [signing, setSigning] = useState(false);
  const [failure, setFailure] = useState<{ title: string; text: string } | null>(null);
  const { switching, switchTo } = useChainSwitch(actions, {
    onStart: () => setFailure(null),
    onFailure: (_error, chainId) =>
      setFailure({ title: "The network did not change", text: `Switch your wallet to ${chainName(chainId)} in the wallet itself, then come back.` }),
  });
  const busy = switching ? "switching" : signing ? "signing" : "idle";
  // a wallet connected on an earlier visit reconnects by itself
  useEffect(() => {
    if (walletRemembered(window.localStorage)) load("resume");
  }, [load]);
  const connected = wallet.status === "connected" ? wallet : null;
  const chainAllowed = connected ? settings.chainIds.includes(connected.chainId) : true;

  async function signIn() {
    if (!actions || !connected) return;
    setSigning(true);
    setFailure(null);
    try {
      await signInWithWallet(actions, connected);
      router.refresh();
    } catch (error) {
      setSigning(false);
      if (error instanceof WalletActionError) {
        setFailure(
          error.kind === "rejected"
            ? { title: "Sign-in cancelled", text: "You declined the request in your wallet, so nothing was shared. Sign in again when you are ready." }
            : { title: "Your wallet could not sign", text: error.message },
        );
      } else {
        const reason = error instanceof ApiError && typeof error.details.reason === "string" ? ` (${error.details.reason.replace(/_/g, " ")})` : "";
        setFailure({ title: "Sign-in did not go through", text: `${error instanceof Error ? error.message : "Something went wrong."}${reason}` });
      }
    }
  }

  const waiting = wallet.status === "connecting" || wallet.status === "reconnecting";
  return (
    <section
      aria-labelledby="staff-sign-in"
      className="mx-auto flex w-full max-w-xl flex-col gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="staff-sign-in"
    >
      <h1 id="staff-sign-in" className="text-2xl font-bold">
        Staff sign-in
      </h1>
      <p className="leading-relaxed text-ink-muted">
        The staff pages show every user&apos;s onboarding and the provider credentials. Sign in with a wallet on the staff list: your wallet signs a short
        message from this site (no transaction, no cost).
      </p>
      {layer}
      {connected ? <WalletSummary wallet={connected} actions={actions} /> : null}
      {connected && !chainAllowed ? (
        <WrongChainAlert chainId={connected.chainId} allowed={settings.chainIds} switching={busy === "switching"} onSwitch={(id) => void switchTo(id)} />
      ) : null}
      {failure ? (
        <Alert tone="error" title={failure.title} testId="signin-error">
          {failure.text}
        </Alert>
      ) : null}
      <div>
        {connected ? (
          <Button busy={busy === "signing"} disabled={!chainAllowed || !actions || busy !== "idle"} onClick={() => void signIn()}>
            {busy === "signing" ? "Waiting for your signature…" : "Sign in"}
          </Button>
        ) : (
          <Button busy={waiting} onClick={connect} onPointerEnter={() => load("prefetch")} onFocus={() => load("prefetch")}>
            {wallet.modalOpen ? "Choose a wallet in the dialog…" : "Connect wallet"}
          </Button>
        )}
      </div>
    </section>
  );
}
