/** What the Unblock step says when a call fails: the session that ended, Unblock down, a signature or code it did not take, and the rest. */
import { ApiError, providerDown } from "./api-error";
import type { StepProblem, UnblockCurrency } from "./onboarding-types";
import { CODE_VALID_MINUTES } from "./unblock-phase";

/** Unblock's session ended: why (when Unblock said), and that signing in again carries on with the account asked for. */
export function endedProblem(wanted: UnblockCurrency | null, reason?: string): StepProblem {
  const why =
    reason === "superseded"
      ? "You signed in to Unblock somewhere else, which ended this session (Unblock keeps one at a time)."
      : reason === "expired"
        ? "Unblock sign-ins last 4 hours."
        : "Unblock sign-ins last 4 hours, and signing in somewhere else ends this one.";
  return {
    tone: "warning",
    title: "Your Unblock session has ended",
    text: `${why} Sign in to Unblock again, with your wallet or an emailed code${
      wanted ? `, and we open your ${wanted} account right after` : ""
    }. Everything you entered is kept.`,
  };
}

/** The same problem without its button (when the form's own button is the way on). */
export function withoutAction(problem: StepProblem | null): StepProblem | null {
  return problem ? { title: problem.title, text: problem.text, ...(problem.tone ? { tone: problem.tone } : {}) } : null;
}

/** A failure common to every Unblock call (once the page has had its say): our credentials, Unblock down, the network, or the server's own words. */
export function unblockProblem(error: unknown, retry: () => void, what: string): StepProblem {
  if (error instanceof ApiError && error.code === "unblock_unauthorized") {
    return {
      title: "We could not connect to Unblock",
      text: "Unblock refused our own credentials: a problem on our side, not yours. What you entered is kept; try again later or contact support.",
      action: { label: "Try again", run: retry },
    };
  }
  if (providerDown(error, "unblock_unavailable")) {
    return {
      title: "Unblock is not answering right now",
      text: `Nothing went wrong on your side, and what you entered is kept. Try again in a moment.`,
      action: { label: "Try again", run: retry },
    };
  }
  if (error instanceof ApiError && error.code === "network") {
    return { title: "We could not reach the server", text: "Check your connection; what you entered is kept.", action: { label: "Try again", run: retry } };
  }
  return {
    title: `${what} did not go through`,
    text: error instanceof Error ? error.message : "Something went wrong.",
    action: { label: "Try again", run: retry },
  };
}

/**
 * Signing in with the wallet failed (each message works once: a retry signs a fresh one): Unblock down, the message
 * no longer usable, or the signature refused.
 */
export function loginProblem(error: unknown, retry: () => void): StepProblem {
  if (providerDown(error, "unblock_unavailable")) {
    return {
      title: "Unblock is not answering right now",
      text: "Nothing went wrong on your side. Try again in a moment: we prepare a fresh message to sign.",
      action: { label: "Try again", run: retry },
    };
  }
  const code = error instanceof ApiError ? error.code : "";
  if (code === "unblock_message_expired" || code === "unblock_message_required") {
    return {
      tone: "warning",
      title: "That message can no longer be used",
      text: `${error instanceof Error ? error.message : ""} Each Unblock message works once and for 4 hours: sign a fresh one.`,
      action: { label: "Sign a fresh message", run: retry },
    };
  }
  return {
    title: "Unblock did not accept the signature",
    text: `${error instanceof Error ? error.message : "The sign-in failed."} Each message works once: “Sign with wallet” prepares a fresh one, or get a code by email instead.`,
  };
}

/** The emailed code ran out (`otp_expired`): ask for a new one, with the code form's own button. */
export function codeExpiredProblem(): StepProblem {
  return {
    title: "That code has expired",
    text: `Codes work for ${CODE_VALID_MINUTES} minutes. Ask for a new one below; it goes to the same email address.`,
  };
}

/** Too many wrong codes (`otp_locked`, or a 429): this code no longer works, ask for a new one (the form's button). */
export function codeLockedProblem(): StepProblem {
  return {
    title: "Too many wrong codes",
    text: "For your safety this code no longer works. Ask for a new one below and type it carefully.",
  };
}

/** Unblock's own session ended (4 h, or a newer sign-in elsewhere): sign in to Unblock again. */
export function isSessionExpired(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.code === "unblock_session_expired" || error.code === "unblock_session_required" || (error.status === 401 && error.code.startsWith("unblock_")))
  );
}
