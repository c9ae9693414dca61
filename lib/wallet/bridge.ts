/**
 * The seam between the page and the lazily loaded wallet layer (wagmi + RainbowKit). The page imports only
 * this file — types and one small error class — so none of the wallet libraries are in its first load; the
 * wallet runtime, once loaded, reports its state and hands over its actions through these shapes.
 */
export type WalletState =
  /** the wallet layer is not loaded (nothing asked for it yet) or is loading */
  | { status: "unloaded" | "loading"; modalOpen: false }
  | { status: "disconnected" | "connecting" | "reconnecting"; modalOpen: boolean }
  | {
      status: "connected";
      modalOpen: boolean;
      address: `0x${string}`;
      chainId: number;
      connectorId: string;
      connectorName: string;
    };

export type WalletErrorKind =
  /** the person declined in the wallet */
  | "rejected"
  /** the wallet does not hold the account the request named */
  | "wrong_account"
  /** no wallet is connected */
  | "not_connected"
  /** the wallet cannot switch to that chain */
  | "switch_unsupported"
  | "failed";

export class WalletActionError extends Error {
  constructor(
    readonly kind: WalletErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "WalletActionError";
  }
}

export interface SignInMessageFields {
  address: `0x${string}`;
  chainId: number;
  nonce: string;
}

export interface WalletActions {
  /** the EIP-4361 text that signs the person in to this app (this page's host and origin, issued now) */
  signInMessage(fields: SignInMessageFields): string;
  /** opens RainbowKit's connect modal (no-op while a wallet is connected) */
  openConnectModal(): void;
  /** personal_sign of a text message by `account`; throws WalletActionError */
  signMessage(message: string, account: `0x${string}`): Promise<`0x${string}`>;
  /** asks the wallet to switch chain; throws WalletActionError */
  switchChain(chainId: number): Promise<void>;
  disconnect(): Promise<void>;
}

/** Whether a wallet connection from an earlier visit is remembered (wagmi will reconnect it on load). */
export function walletRemembered(storage: Pick<Storage, "getItem"> | undefined): boolean {
  try {
    const raw = storage?.getItem("wagmi.store");
    if (!raw) return false;
    const parsed: unknown = JSON.parse(raw);
    const state = typeof parsed === "object" && parsed !== null ? (parsed as { state?: { current?: unknown } }).state : undefined;
    return typeof state?.current === "string" && state.current.length > 0;
  } catch {
    return false;
  }
}
