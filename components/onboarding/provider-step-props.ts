/** What the page gives each provider step shown after OffBlocks (Unblock, Bloq): the same props for both. */
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import type { Onboarding, Session } from "./onboarding-types";

export interface ProviderStepProps {
  onboarding: Onboarding;
  session: Session;
  wallet: WalletState;
  actions: WalletActions | null;
  /** connect a wallet (opens RainbowKit's modal, loading the wallet layer first when needed) */
  onConnect: () => void;
  /** load the wallet layer ahead of a signature (it reconnects a remembered wallet) */
  onNeedWallet: () => void;
  onOnboarding: (onboarding: Onboarding) => void;
  onSignOutToSwitch: () => void;
  /** the app's own session ended (handled by the page): true when handled */
  onApiError: (error: unknown) => boolean;
  /** the built-in test providers: a step may point to the sandbox's own tools (the mailbox) */
  sandbox: boolean;
}

/** What a step's sign panel (Bloq's message, Unblock's sign-in) takes: the text, what the step is busy with, the wallet, and the sign action. */
export type SignPanelProps<Busy> = Pick<ProviderStepProps, "session" | "wallet" | "actions" | "onConnect" | "onSignOutToSwitch"> & {
  message: string;
  busy: Busy;
  onSign: () => void;
};
