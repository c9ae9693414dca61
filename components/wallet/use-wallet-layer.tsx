"use client";
/**
 * The wallet layer on demand, for any page that signs in with a wallet (the onboarding flow, the staff
 * area): it is not loaded until asked for — ahead of a click (pointer over the button), to resume a
 * remembered wallet, or on a click — and RainbowKit's modal opens as soon as it is up when the person
 * clicked before it was. The page renders `layer` somewhere (it draws nothing visible but the modal).
 */
import dynamic from "next/dynamic";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import type { WalletSettings } from "@/lib/wallet/settings";
import { WalletLoadBoundary } from "./wallet-load-boundary";

/**
 * The wallet layer, in its own chunk: fetched the first time it renders. `ssr: false` keeps it (and
 * RainbowKit's whole connector tree) out of the server bundle too.
 */
const WalletRuntime = dynamic(() => import("./wallet-runtime"), { ssr: false });

const UNLOADED: WalletState = { status: "unloaded", modalOpen: false };

export type WalletWanted = false | "prefetch" | "resume" | "connect";

export interface WalletLayer {
  /** the wallet's state; `loading` while the layer is on its way */
  wallet: WalletState;
  actions: WalletActions | null;
  /** why the layer was asked for (false: not yet) */
  wanted: WalletWanted;
  /** ask for the layer without opening anything */
  load: (reason: "prefetch" | "resume") => void;
  /** open RainbowKit's modal, loading the layer first when needed */
  connect: () => void;
  /** to render once on the page while `wanted` */
  layer: ReactNode;
}

export function useWalletLayer(settings: WalletSettings): WalletLayer {
  const [wallet, setWallet] = useState<WalletState>(UNLOADED);
  const [actions, setActions] = useState<WalletActions | null>(null);
  const [wanted, setWanted] = useState<WalletWanted>(false);

  const want = useCallback((reason: "prefetch" | "resume" | "connect") => setWanted((current) => current || reason), []);
  const load = useCallback((reason: "prefetch" | "resume") => want(reason), [want]);

  // the person asked to connect before the wallet layer was up: open RainbowKit's modal once it is
  const openModalWhenReady = useRef(false);
  const connect = useCallback(() => {
    if (actions && wallet.status === "disconnected") return actions.openConnectModal();
    openModalWhenReady.current = true;
    want("connect");
  }, [actions, wallet.status, want]);

  useEffect(() => {
    if (!openModalWhenReady.current || !actions) return;
    if (wallet.status === "disconnected") actions.openConnectModal();
    if (wallet.status === "disconnected" || wallet.status === "connected") openModalWhenReady.current = false;
  }, [actions, wallet.status]);

  const layer = wanted ? (
    <WalletLoadBoundary
      fallback={
        <Alert tone="error" title="The wallet tools did not load" actions={<Button onClick={() => window.location.reload()}>Reload the page</Button>}>
          Your connection may have dropped, or the site was just updated. Nothing was sent from your wallet, and reloading brings you back to this step.
        </Alert>
      }
    >
      {/* RainbowKit's provider adds an empty element; its modal is portaled to <body> */}
      <div className="hidden">
        <WalletRuntime settings={settings} onState={setWallet} onActions={setActions} />
      </div>
    </WalletLoadBoundary>
  ) : null;

  const view: WalletState = wanted && wallet.status === "unloaded" ? { status: "loading", modalOpen: false } : wallet;
  return { wallet: view, actions, wanted, load, connect, layer };
}
