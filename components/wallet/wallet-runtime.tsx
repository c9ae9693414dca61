"use client";
/**
 * The wallet layer — wagmi, react-query, RainbowKit (provider, modal, its styles), the Sandbox wallet and
 * viem's SIWE builder — in one module the page loads with a dynamic `import()` (next/dynamic, browser only)
 * when the person reaches the connect step (or comes back signed in with a signature to give), never in
 * the first paint. It renders no UI of its own besides RainbowKit's modal: it reports the wallet's state up
 * and hands its actions over (lib/wallet/bridge).
 */
import "@rainbow-me/rainbowkit/styles.css";
import { RainbowKitProvider, lightTheme, useConnectModal } from "@rainbow-me/rainbowkit";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { BaseError, UserRejectedRequestError, type Address, type Hex } from "viem";
import { ConnectorAccountNotFoundError, WagmiProvider, useAccount, useDisconnect, useSignMessage, useSwitchChain } from "wagmi";
import { appSiweMessage } from "@/lib/wallet/app-siwe-message";
import { WalletActionError, type WalletActions, type WalletState } from "@/lib/wallet/bridge";
import type { WalletSettings } from "@/lib/wallet/settings";
import { createWalletConfig } from "@/lib/wallet/wagmi-config";

export interface WalletRuntimeProps {
  settings: WalletSettings;
  onState: (state: WalletState) => void;
  onActions: (actions: WalletActions) => void;
}

const baseTheme = lightTheme({ accentColor: "#4338ca", accentColorForeground: "#ffffff", borderRadius: "medium", fontStack: "system" });
// RainbowKit's secondary text (group names, "New to Ethereum wallets?") is 3.3:1 on white; WCAG AA needs 4.5:1
const theme = { ...baseTheme, colors: { ...baseTheme.colors, modalTextSecondary: "#525866", modalTextDim: "#525866" } };

/**
 * RainbowKit draws each wallet's icon as `<div role="img">` without a name, beside the wallet's name in
 * text: decorative, so hide it from assistive tech instead of leaving an unnamed image (axe: role-img-alt).
 */
function hideUnnamedIcons(root: ParentNode): void {
  for (const icon of root.querySelectorAll('[data-rk] [role="img"]:not([aria-label]):not([aria-labelledby]):not([aria-hidden])')) {
    icon.setAttribute("aria-hidden", "true");
  }
}

export default function WalletRuntime({ settings, onState, onActions }: WalletRuntimeProps) {
  const [config] = useState(() => createWalletConfig(settings));
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }));
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <RainbowKitProvider theme={theme} modalSize="compact" appInfo={{ appName: settings.appName }} initialChain={settings.chainIds[0]}>
          <WalletBridge onState={onState} onActions={onActions} />
        </RainbowKitProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}

function isRejection(error: unknown): boolean {
  if (error instanceof BaseError) return !!error.walk((e) => e instanceof UserRejectedRequestError || (e as { code?: unknown }).code === 4001);
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (candidate.code === 4001 || candidate.name === "UserRejectedRequestError") return true;
    current = candidate.cause;
  }
  return false;
}

function toWalletError(error: unknown, action: string): WalletActionError {
  if (error instanceof WalletActionError) return error;
  if (isRejection(error)) return new WalletActionError("rejected", `You declined the ${action} in your wallet.`);
  if (error instanceof ConnectorAccountNotFoundError) return new WalletActionError("wrong_account", "Your wallet does not hold the account this needs.");
  if (error instanceof Error && error.name === "ConnectorNotConnectedError") return new WalletActionError("not_connected", "No wallet is connected.");
  const text = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return new WalletActionError("failed", `Your wallet could not complete the ${action}: ${text}`);
}

function WalletBridge({ onState, onActions }: Omit<WalletRuntimeProps, "settings">) {
  const account = useAccount();
  const { openConnectModal, connectModalOpen } = useConnectModal();
  const { signMessageAsync } = useSignMessage();
  const { switchChainAsync } = useSwitchChain();
  const { disconnectAsync } = useDisconnect();

  const state = useMemo<WalletState>(() => {
    if (account.status === "connected") {
      return {
        status: "connected",
        modalOpen: connectModalOpen,
        address: account.address,
        chainId: account.chainId,
        connectorId: account.connector.id,
        connectorName: account.connector.name,
      };
    }
    return { status: account.status, modalOpen: connectModalOpen };
  }, [account.status, account.address, account.chainId, account.connector, connectModalOpen]);

  useEffect(() => onState(state), [state, onState]);

  useEffect(() => {
    if (!connectModalOpen) return;
    hideUnnamedIcons(document);
    const observer = new MutationObserver(() => hideUnnamedIcons(document));
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [connectModalOpen]);

  // the latest hook functions, read when an action runs (the actions object itself stays the same)
  const latest = useRef({ openConnectModal, signMessageAsync, switchChainAsync, disconnectAsync });
  useEffect(() => {
    latest.current = { openConnectModal, signMessageAsync, switchChainAsync, disconnectAsync };
  });

  useEffect(() => {
    const actions: WalletActions = {
      signInMessage: (fields) => appSiweMessage({ ...fields, location: window.location }),
      openConnectModal: () => latest.current.openConnectModal?.(),
      async signMessage(message: string, signer: Address): Promise<Hex> {
        try {
          return await latest.current.signMessageAsync({ message, account: signer });
        } catch (error) {
          throw toWalletError(error, "signature request");
        }
      },
      async switchChain(chainId: number) {
        try {
          await latest.current.switchChainAsync({ chainId });
        } catch (error) {
          const mapped = toWalletError(error, "network switch");
          throw mapped.kind === "failed" ? new WalletActionError("switch_unsupported", mapped.message) : mapped;
        }
      },
      async disconnect() {
        try {
          await latest.current.disconnectAsync();
        } catch {
          // already disconnected
        }
      },
    };
    onActions(actions);
  }, [onActions]);

  return null;
}
