/** The connect step: what connecting means, and the button that opens the wallet modal (loading the wallet layer first). */
import { useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import type { WalletState } from "@/lib/wallet/bridge";
import type { WalletSettings } from "@/lib/wallet/settings";
import { NoticeBanner } from "./notice-banner";
import type { Notice } from "./onboarding-types";
import { StepPanel } from "./step-panel";

export function ConnectStep({
  headingRef,
  settings,
  wallet,
  resuming,
  notice,
  onConnect,
  onPrepare,
}: {
  headingRef: Ref<HTMLHeadingElement>;
  settings: WalletSettings;
  wallet: WalletState;
  /** the wallet layer is loading to reconnect the wallet of an earlier visit */
  resuming: boolean;
  notice: Notice | null;
  onConnect: () => void;
  /** start loading the wallet layer early (pointer over / focus on the button) */
  onPrepare: () => void;
}) {
  // loading the wallet layer early (hover, focus) must not disable the button under the pointer: only a
  // click shows the wait
  const [requested, setRequested] = useState(false);
  const busy = (requested || resuming) && (wallet.status === "loading" || wallet.status === "connecting" || wallet.status === "reconnecting");
  const label = !busy
    ? "Connect wallet"
    : wallet.status === "loading" && !resuming
      ? "Loading wallets…"
      : wallet.status === "reconnecting" || resuming
        ? "Reconnecting your wallet…"
        : "Waiting for your wallet…";
  return (
    <StepPanel step="connect" title="Connect your wallet" headingRef={headingRef}>
      <NoticeBanner notice={notice} />
      <p className="leading-relaxed text-ink-muted">
        Choose the wallet that holds the address you want to onboard. Connecting only shares its public address: it does not let this site move funds or send
        transactions.
      </p>
      {settings.sandbox ? (
        <p className="rounded-lg bg-brand-light/60 px-4 py-3 text-sm leading-relaxed text-ink">
          <span className="font-semibold">No wallet at hand?</span> Pick <span className="font-semibold">Sandbox wallet</span>: a test key this browser creates
          and keeps for you. It holds no funds and only works with the built-in test providers.
        </p>
      ) : null}
      <div>
        <Button
          busy={busy}
          onClick={() => {
            setRequested(true);
            onConnect();
          }}
          onPointerEnter={onPrepare}
          onFocus={onPrepare}
          onTouchStart={onPrepare}
        >
          {wallet.modalOpen ? "Choose a wallet in the dialog…" : label}
        </Button>
      </div>
    </StepPanel>
  );
}
