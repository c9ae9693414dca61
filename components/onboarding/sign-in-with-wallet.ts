/**
 * Sign-in with Ethereum to this app, as the user flow and the staff area both do it: a nonce from the server,
 * the app's EIP-4361 message for the connected account and chain, the wallet's signature, then the server's
 * verification. Throws WalletActionError (the wallet) or ApiError (the server).
 */
import type { WalletActions } from "@/lib/wallet/bridge";
import { onboardingApi } from "./onboarding-api";
import type { Session } from "./onboarding-types";

export async function signInWithWallet(actions: WalletActions, account: { address: `0x${string}`; chainId: number }): Promise<Session> {
  const nonce = await onboardingApi.nonce();
  const message = actions.signInMessage({ address: account.address, chainId: account.chainId, nonce });
  const signature = await actions.signMessage(message, account.address);
  return onboardingApi.verify(message, signature);
}
