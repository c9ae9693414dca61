/**
 * Signing out in one tab of this browser reaches its other tabs of the app at once (a BroadcastChannel): they go
 * back to sign-in and say why, instead of finding out at their next request and calling it an expiry (the
 * sign-out removed the cookie they shared, so the server can no longer tell). Without BroadcastChannel nothing
 * is announced and the next request's 401 speaks.
 */
import { useEffect } from "react";

const CHANNEL = "wallet-onboarding:session";
/** This tab: a channel delivers to every other channel object of the same name, this tab's own listener too */
const THIS_TAB = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** Tells the other tabs that this browser signed out. */
export function announceSignOut(): void {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ type: "signed_out", from: THIS_TAB });
    channel.close();
  } catch {
    // no BroadcastChannel: the other tabs learn it from their next request
  }
}

/** While `signedIn`, calls `onSignedOut` when another tab signs out. */
export function useSignOutElsewhere(signedIn: boolean, onSignedOut: () => void): void {
  useEffect(() => {
    if (!signedIn) return;
    let channel: BroadcastChannel;
    try {
      channel = new BroadcastChannel(CHANNEL);
    } catch {
      return;
    }
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data as { type?: unknown; from?: unknown } | null;
      if (message?.type === "signed_out" && message.from !== THIS_TAB) onSignedOut();
    };
    return () => channel.close();
  }, [signedIn, onSignedOut]);
}
