/**
 * The one hook every provider step (OffBlocks, Unblock, Bloq) is built on: what it is busy with, the problem it
 * shows (StepProblem, the one error model), `act` (a call while busy, its failure handed to the step),
 * `sign` (the wallet's signature of the provider's text, or the problem when the wallet did not sign), an
 * error the page handles (`takeError`) and the onboarding an error answer carries taken in, and focus following the step's phase (not on first render:
 * the page reads from the top).
 */
import { useEffect, useRef, useState } from "react";
import type { WalletActions } from "@/lib/wallet/bridge";
import { onboardingApi } from "./onboarding-api";
import type { Onboarding, StepProblem } from "./onboarding-types";
import { walletSignProblem } from "./wallet-sign-problem";

export function useProviderStep<Busy extends string>({
  phase,
  onOnboarding,
  onApiError,
  initialProblem = null,
}: {
  /** the step's phase; the heading takes focus when it changes (leave out when the page moves focus itself) */
  phase?: string;
  onOnboarding: (onboarding: Onboarding) => void;
  /** the app's own session ended (handled by the page): true when handled */
  onApiError: (error: unknown) => boolean;
  initialProblem?: StepProblem | null | (() => StepProblem | null);
}) {
  const [busy, setBusy] = useState<"idle" | "signing" | Busy>("idle");
  const [problem, setProblem] = useState<StepProblem | null>(initialProblem);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const shownPhase = useRef(phase);
  useEffect(() => {
    if (shownPhase.current === phase) return;
    shownPhase.current = phase;
    const timer = window.setTimeout(() => headingRef.current?.focus(), 50);
    return () => window.clearTimeout(timer);
  }, [phase]);

  /** The onboarding an error answer carries (e.g. 409 `unblock_user_required`), shown; null when it has none. */
  async function adoptOnboarding(error: unknown): Promise<Onboarding | null> {
    const next = await onboardingApi.onboardingFromError(error);
    if (next) onOnboarding(next);
    return next;
  }

  /** True when the page handled the error (the app's session ended); otherwise the onboarding it carries is taken in, and the step says what failed. */
  function takeError(error: unknown): boolean {
    if (onApiError(error)) return true;
    void adoptOnboarding(error);
    return false;
  }

  /** Runs a call while `busy` says what is happening; a failure goes to `onError`; idle again afterwards. */
  async function act(what: Busy, run: () => Promise<void>, onError: (error: unknown) => void | Promise<void>): Promise<void> {
    setBusy(what);
    setProblem(null);
    try {
      await run();
    } catch (error) {
      await onError(error);
    } finally {
      setBusy("idle");
    }
  }

  /** The wallet's signature of `message` for the signed-in account; null (the problem shown, idle again) when it did not sign. */
  async function sign(actions: WalletActions, message: string, address: string, whenDeclined: string): Promise<`0x${string}` | null> {
    setBusy("signing");
    setProblem(null);
    try {
      return await actions.signMessage(message, address as `0x${string}`);
    } catch (error) {
      setBusy("idle");
      setProblem(walletSignProblem(error, whenDeclined));
      return null;
    }
  }

  return { busy, setBusy, problem, setProblem, headingRef, adoptOnboarding, takeError, act, sign };
}
