/**
 * The browser's wagmi config, built lazily (only once the person reaches the connect step) from
 * WalletSettings. A lean RainbowKit wallet list: wallets announced over EIP-6963 appear by themselves
 * (wagmi's multi-injected discovery); beside them the Sandbox wallet in sandbox mode, the injected
 * `window.ethereum` wallet when there is one, MetaMask when it is installed or WalletConnect can reach it,
 * and WalletConnect only with a project id. Transports are plain `http()`: nothing in the flow reads a chain,
 * so the app works with no RPC, no relay and no ENS reachable.
 */
import { connectorsForWallets, type WalletList } from "@rainbow-me/rainbowkit";
import { injectedWallet, metaMaskWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import type { Chain } from "viem";
import { zksync, zksyncSepoliaTestnet } from "viem/chains";
import { createConfig, http, type Config, type Transport } from "wagmi";
import { sandboxWallet } from "./sandbox-wallet";
import type { WalletSettings } from "./settings";

const KNOWN_CHAINS: readonly Chain[] = [zksyncSepoliaTestnet, zksync];

export function walletChains(chainIds: readonly number[]): [Chain, ...Chain[]] {
  const chains = chainIds.map((id) => KNOWN_CHAINS.find((chain) => chain.id === id)).filter((chain): chain is Chain => !!chain);
  const [first, ...rest] = chains;
  return first ? [first, ...rest] : [zksyncSepoliaTestnet];
}

interface BrowserWindow {
  ethereum?: { isMetaMask?: boolean } | undefined;
  addEventListener?: Window["addEventListener"];
  removeEventListener?: Window["removeEventListener"];
  dispatchEvent?: Window["dispatchEvent"];
}

/**
 * The providers wallets announce over EIP-6963 right now (they answer `eip6963:requestProvider`
 * synchronously). wagmi lists those by themselves, so `window.ethereum` needs its own "Browser Wallet" entry
 * only when it is not one of them — otherwise the same wallet would appear twice.
 */
function announcedProviders(browser: BrowserWindow): unknown[] {
  const found: unknown[] = [];
  if (!browser.addEventListener || !browser.removeEventListener || !browser.dispatchEvent) return found;
  const onAnnounce = (event: Event) => found.push((event as CustomEvent<{ provider?: unknown }>).detail?.provider);
  browser.addEventListener("eip6963:announceProvider", onAnnounce);
  browser.dispatchEvent(new Event("eip6963:requestProvider"));
  browser.removeEventListener("eip6963:announceProvider", onAnnounce);
  return found;
}

export function walletList(settings: WalletSettings, browser: BrowserWindow | undefined): WalletList {
  const hasInjected = !!browser?.ethereum && !announcedProviders(browser).includes(browser.ethereum);
  const projectId = settings.walletConnectProjectId;
  const wallets: WalletList[number]["wallets"] = [];
  if (hasInjected) wallets.push(injectedWallet);
  if (browser?.ethereum?.isMetaMask || projectId) wallets.push(metaMaskWallet);
  if (projectId) wallets.push(walletConnectWallet);
  const list: WalletList = [];
  if (settings.sandbox) list.push({ groupName: "Test wallet (sandbox)", wallets: [sandboxWallet()] });
  if (wallets.length > 0) list.push({ groupName: "Wallets", wallets });
  // RainbowKit needs at least one entry; with nothing installed the injected one explains there is no wallet
  if (list.length === 0) list.push({ groupName: "Wallets", wallets: [injectedWallet] });
  return list;
}

export function createWalletConfig(settings: WalletSettings): Config {
  const chains = walletChains(settings.chainIds);
  const connectors = connectorsForWallets(walletList(settings, typeof window === "undefined" ? undefined : (window as BrowserWindow)), {
    appName: settings.appName,
    // RainbowKit asks for one; it is only used by WalletConnect-based wallets, which are listed only with a real id
    projectId: settings.walletConnectProjectId ?? "unset",
  });
  const transports = Object.fromEntries(chains.map((chain) => [chain.id, http()])) as Record<number, Transport>;
  // `ssr: true` although this config only ever runs in the browser: wagmi then restores the stored connection
  // and reconnects once, in an effect, instead of on every render of its provider (which, with the page
  // re-rendering on each wallet event, would restart the reconnection over and over)
  return createConfig({ chains, connectors, transports, ssr: true, multiInjectedProviderDiscovery: true });
}
