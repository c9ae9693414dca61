/**
 * Where the person is in the onboarding, decided only by what the server says (session, onboarding) and
 * whether a wallet is connected — so a reload lands on the same step.
 */
import type { Onboarding, OffblocksStatus, Session } from "./onboarding-types";

export type StepId = "connect" | "signin" | "offblocks" | "status";

export const STEPS: readonly { id: StepId; label: string }[] = [
  { id: "connect", label: "Connect" },
  { id: "signin", label: "Sign in" },
  { id: "offblocks", label: "Verify with OffBlocks" },
  { id: "status", label: "Status & Unblock" },
];

export function currentStep(args: { session: Session | null; onboarding: Onboarding | null; walletConnected: boolean }): StepId {
  if (!args.session) return args.walletConnected ? "signin" : "connect";
  const status = args.onboarding?.steps.offblocks.status;
  if (!status || status === "challenge_issued") return "offblocks";
  return "status";
}

export type StepProgress = "complete" | "current" | "upcoming" | "failed";

/**
 * The status step hosts OffBlocks' progress and then the Unblock account: it is complete when OffBlocks is
 * active and (when the caller says whether) the Unblock account is open.
 */
export function stepProgress(step: StepId, current: StepId, offblocksStatus: OffblocksStatus | undefined, unblockDone = true): StepProgress {
  const index = STEPS.findIndex((s) => s.id === step);
  const currentIndex = STEPS.findIndex((s) => s.id === current);
  if (step === "status" && current === "status") {
    if (offblocksStatus === "active" && unblockDone) return "complete";
    if (offblocksStatus === "rejected" || offblocksStatus === "failed") return "failed";
  }
  if (index < currentIndex) return "complete";
  return index === currentIndex ? "current" : "upcoming";
}

/** The domain an EIP-4361 message names (its first line: `<domain> wants you to sign in …`). */
export function messageDomain(message: string): string | undefined {
  return /^(\S+) wants you to sign in with your Ethereum account:/.exec(message)?.[1];
}
