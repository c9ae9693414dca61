/**
 * A wagmi connector for the Sandbox wallet: a viem local account over the burner key of burner-key.ts, with
 * a minimal EIP-1193 provider that answers accounts and chain from memory and signs `personal_sign`
 * itself. No RPC, no relay, no extension: a person with no wallet can finish the whole flow in sandbox
 * mode. Every other JSON-RPC method is refused with 4200 (unsupported), never sent to a network.
 */
import { getAddress, numberToHex, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChainNotConfiguredError, createConnector } from "wagmi";
import { burnerKey, readBurnerKey, type KeyStorage } from "./burner-key";

export const SANDBOX_CONNECTOR_ID = "sandboxWallet";
export const SANDBOX_WALLET_NAME = "Sandbox wallet";
export const SANDBOX_WALLET_ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 28 28'%3E%3Crect width='28' height='28' rx='6' fill='%234338ca'/%3E%3Cpath d='M7 10.5A2.5 2.5 0 0 1 9.5 8h9A2.5 2.5 0 0 1 21 10.5V11h-4a3 3 0 0 0 0 6h4v.5a2.5 2.5 0 0 1-2.5 2.5h-9A2.5 2.5 0 0 1 7 17.5z' fill='%23fff'/%3E%3Ccircle cx='17' cy='14' r='1.3' fill='%23fff'/%3E%3C/svg%3E";

const CHAIN_STORAGE = "onboarding.sandbox-wallet.chainId";
const DISCONNECTED_STORAGE = "onboarding.sandbox-wallet.disconnected";

interface RpcRequest {
  method: string;
  params?: unknown;
}

type Listener = (...args: unknown[]) => void;

/** An EIP-1193 error: `code` 4001 user rejected, 4100 unauthorized, 4200 unsupported, 4902 unknown chain. */
export class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ProviderRpcError";
  }
}

export interface SandboxProvider {
  request(args: RpcRequest): Promise<unknown>;
  on(event: string, listener: Listener): void;
  removeListener(event: string, listener: Listener): void;
}

export interface SandboxWalletOptions {
  /** where the burner key lives; default: window.localStorage */
  storage?: () => KeyStorage;
}

function defaultStorage(): KeyStorage {
  if (typeof window === "undefined") throw new ProviderRpcError(4900, "The Sandbox wallet only runs in a browser");
  return window.localStorage;
}

function param(params: unknown, index: number): unknown {
  return Array.isArray(params) ? params[index] : undefined;
}

export function sandboxConnector(options: SandboxWalletOptions = {}) {
  const storage = options.storage ?? defaultStorage;
  let account: LocalAccount | undefined;
  let provider: SandboxProvider | undefined;
  let chainId: number | undefined;
  const listeners = new Map<string, Set<Listener>>();

  const emit = (event: string, ...args: unknown[]) => {
    for (const listener of listeners.get(event) ?? []) listener(...args);
  };
  const localAccount = (): LocalAccount => {
    account ??= privateKeyToAccount(burnerKey(storage()));
    return account;
  };

  return createConnector<SandboxProvider>((config) => {
    const configured = (id: number) => config.chains.some((chain) => chain.id === id);
    const currentChainId = (): number => {
      if (chainId !== undefined) return chainId;
      const remembered = Number(storage().getItem(CHAIN_STORAGE));
      chainId = configured(remembered) ? remembered : config.chains[0].id;
      return chainId;
    };
    const setChain = (id: number) => {
      chainId = id;
      storage().setItem(CHAIN_STORAGE, String(id));
      emit("chainChanged", numberToHex(id));
      config.emitter.emit("change", { chainId: id });
    };

    const request = async ({ method, params }: RpcRequest): Promise<unknown> => {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [localAccount().address];
        case "eth_chainId":
          return numberToHex(currentChainId());
        case "personal_sign": {
          const data = param(params, 0);
          const from = param(params, 1);
          if (typeof data !== "string" || !data.startsWith("0x")) throw new ProviderRpcError(-32602, "personal_sign expects hex data");
          if (typeof from !== "string" || from.toLowerCase() !== localAccount().address.toLowerCase()) {
            throw new ProviderRpcError(4100, "The Sandbox wallet does not hold that account");
          }
          return localAccount().signMessage({ message: { raw: data as Hex } });
        }
        case "wallet_switchEthereumChain": {
          const target = param(params, 0);
          const id = typeof target === "object" && target !== null ? Number((target as { chainId?: unknown }).chainId) : NaN;
          if (!configured(id)) throw new ProviderRpcError(4902, `The Sandbox wallet does not know chain ${String(id)}`);
          setChain(id);
          return null;
        }
        default:
          throw new ProviderRpcError(4200, `The Sandbox wallet does not support ${method}`);
      }
    };

    return {
      id: SANDBOX_CONNECTOR_ID,
      name: SANDBOX_WALLET_NAME,
      type: "sandbox",
      icon: SANDBOX_WALLET_ICON,

      async connect({ chainId: wanted }: { chainId?: number | undefined } = {}) {
        storage().removeItem(DISCONNECTED_STORAGE);
        const address = localAccount().address;
        if (wanted !== undefined && wanted !== currentChainId() && configured(wanted)) setChain(wanted);
        // wagmi types `accounts` by `withCapabilities`; this wallet has no capabilities to report
        return { accounts: [address] as never, chainId: currentChainId() };
      },
      async disconnect() {
        storage().setItem(DISCONNECTED_STORAGE, "true");
      },
      async getAccounts() {
        return [localAccount().address];
      },
      async getChainId() {
        return currentChainId();
      },
      async getProvider() {
        provider ??= {
          request,
          on: (event, listener) => {
            const set = listeners.get(event) ?? new Set<Listener>();
            set.add(listener);
            listeners.set(event, set);
          },
          removeListener: (event, listener) => {
            listeners.get(event)?.delete(listener);
          },
        };
        return provider;
      },
      async isAuthorized() {
        try {
          const store = storage();
          return !!readBurnerKey(store) && store.getItem(DISCONNECTED_STORAGE) !== "true";
        } catch {
          return false;
        }
      },
      async switchChain({ chainId: id }) {
        const chain = config.chains.find((candidate) => candidate.id === id);
        if (!chain) throw new ChainNotConfiguredError();
        setChain(id);
        return chain;
      },
      onAccountsChanged(accounts) {
        if (accounts.length === 0) this.onDisconnect();
        else config.emitter.emit("change", { accounts: accounts.map((a) => getAddress(a)) });
      },
      onChainChanged(chain) {
        config.emitter.emit("change", { chainId: Number(chain) });
      },
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}
