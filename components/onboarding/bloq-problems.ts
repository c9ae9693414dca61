/** What the Bloq step says when a call fails: Bloq down, the network, a signature or message Bloq did not take, and the rest. */
import { ApiError, providerDown } from "./api-error";
import type { StepProblem } from "./onboarding-types";

/** A failure common to both calls (once the page has had its say): Bloq down, the network, or the server's own words. */
export function bloqProblem(error: unknown, retry: () => void): StepProblem {
  if (providerDown(error, "bloq_unavailable")) {
    return {
      title: "Bloq is not answering right now",
      text: "Nothing went wrong on your side. Ask again in a moment, or skip this step and come back later.",
      action: { label: "Ask Bloq again", run: retry },
    };
  }
  if (error instanceof ApiError && error.code === "network") {
    return {
      title: "We could not reach the server",
      text: "Check your connection and ask again, or skip this step.",
      action: { label: "Ask Bloq again", run: retry },
    };
  }
  return {
    title: "Linking did not go through",
    text: error instanceof Error ? error.message : "Something went wrong.",
    action: { label: "Ask Bloq again", run: retry },
  };
}

/** Bloq did not take the signature (`signature_invalid`): its words, and which signature it takes. */
export function signatureRefusedProblem(error: unknown): StepProblem {
  return {
    title: "Bloq did not accept that signature",
    text: `${error instanceof Error ? error.message : ""} The signature must come from the wallet you signed in with, for exactly the message shown. Check it and sign again.`,
  };
}

/** The message ran out (`bloq_message_expired`): sign the fresh one Bloq gave, or ask for one when none came. */
export function messageExpiredProblem(freshShown: boolean, askAgain: () => void): StepProblem {
  if (freshShown) {
    return {
      tone: "warning",
      title: "That message could no longer be used",
      text: "Bloq asked for a fresh one, shown below: check it and sign again.",
    };
  }
  return {
    tone: "warning",
    title: "That message could no longer be used",
    text: "Each Bloq message works once. Ask for a fresh one.",
    action: { label: "Ask for a new message", run: askAgain },
  };
}

/** No message left to sign (`bloq_message_required`): Bloq's words, and ask for a new one. */
export function messageRequiredProblem(error: unknown, askAgain: () => void): StepProblem {
  return {
    tone: "warning",
    title: "Ask for a new message",
    text: `${error instanceof Error ? error.message : ""} Each Bloq message can be signed once.`,
    action: { label: "Ask for a new message", run: askAgain },
  };
}
