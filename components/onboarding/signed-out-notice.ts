/** What the page says when it is back at sign-in because the session is gone, by why (the 401's `reason`, lib/auth/sessions.ts, or another tab's sign-out). */
import type { Notice } from "./onboarding-types";

/** Why the person is back at sign-in, from the 401's `reason` (lib/auth/sessions.ts). */
export function signedOutNotice(reason: unknown): Notice {
  if (reason === "signed_out_elsewhere") {
    return { tone: "warning", title: "You signed out in another tab", text: "Sign in again to carry on where you left off." };
  }
  if (reason === "signed_out") {
    return {
      tone: "warning",
      title: "You signed out",
      text: "This wallet was signed out here, perhaps in another tab. Sign in again to carry on where you left off.",
    };
  }
  if (reason === "ended") {
    return { tone: "warning", title: "Your sign-in was ended", text: "The service ended this sign-in. Sign in again to carry on where you left off." };
  }
  return {
    tone: "warning",
    title: "Your session has expired",
    text: "For your safety, sign-ins last a limited time. Sign in again to carry on where you left off.",
  };
}
