/**
 * The browser's calls to the app's end-user API (shared/API.md): sign-in with Ethereum and the onboarding.
 * Every answer is read with the schemas the server answers with (./api-answers, loaded with the first
 * answer so the page's first load stays small); every failure becomes an ApiError with the server's code,
 * or `network` when the server could not be reached.
 */
import { ApiError } from "./api-error";
import type { Challenge, OffblocksStatus, Onboarding, Session, UnblockCurrency, UnblockUserInput } from "./onboarding-types";

export { ApiError } from "./api-error";

const answers = () => import("./api-answers");

const FINAL_STATUSES: readonly OffblocksStatus[] = ["active", "rejected", "failed"];

export function isFinal(status: OffblocksStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

async function call(path: string, init: { method?: "GET" | "POST"; body?: unknown; timeoutMs?: number } = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
    });
  } catch {
    throw new ApiError(0, "network", "We could not reach the server. Check your connection and try again.");
  }
  const text = await response.text().catch(() => "");
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (response.ok) return body;
  const { code, message, ...details } = (await answers()).parseErrorBody(body) ?? {};
  throw new ApiError(
    response.status,
    typeof code === "string" ? code : `http_${response.status}`,
    typeof message === "string" ? message : `The server answered ${response.status}. Please try again.`,
    details,
  );
}

const LONG = 60_000;

/** A call whose answer is the onboarding. */
async function onboardingCall(path: string, body?: unknown): Promise<Onboarding> {
  const answer = await call(path, { method: "POST", body, timeoutMs: LONG });
  return (await answers()).parseOnboarding(answer);
}

/** A call whose answer is a text to sign. */
async function messageCall(path: string, what: string): Promise<string> {
  const answer = await call(path, { method: "POST", body: {}, timeoutMs: LONG });
  return (await answers()).parseMessage(answer, what);
}

/** A GET whose "there is none" is an HTTP status (404: no onboarding yet): null then. */
async function getOrNone<T>(path: string, noneStatus: number, parse: (read: Awaited<ReturnType<typeof answers>>, answer: unknown) => T): Promise<T | null> {
  try {
    const answer = await call(path);
    return parse(await answers(), answer);
  } catch (error) {
    if (error instanceof ApiError && error.status === noneStatus) return null;
    throw error;
  }
}

export const onboardingApi = {
  /** the signed-in session, or null when there is none (`{signedIn: false}`) */
  async session(): Promise<Session | null> {
    const answer = await call("/api/auth/session");
    return (await answers()).parseSessionState(answer);
  },
  async nonce(): Promise<string> {
    const answer = await call("/api/auth/nonce");
    return (await answers()).parseNonce(answer);
  },
  async verify(message: string, signature: string): Promise<Session> {
    const answer = await call("/api/auth/verify", { method: "POST", body: { message, signature } });
    return (await answers()).parseSession(answer);
  },
  async logout(): Promise<void> {
    await call("/api/auth/logout", { method: "POST" });
  },
  /** the wallet's onboarding, or null when there is none yet (404) */
  onboarding: (): Promise<Onboarding | null> => getOrNone("/api/onboarding", 404, (read, answer) => read.parseOnboarding(answer)),
  startOnboarding: (): Promise<Onboarding> => onboardingCall("/api/onboarding", {}),
  newChallenge: (): Promise<Onboarding> => onboardingCall("/api/onboarding/offblocks/challenge"),
  signOffblocks: (signature: string): Promise<Onboarding> => onboardingCall("/api/onboarding/offblocks/sign", { signature }),
  /** the fresh challenge an error answer carries (400 signature_invalid, 410 challenge_expired), wherever it sits */
  async challengeFromError(error: ApiError): Promise<{ onboarding?: Onboarding; challenge?: Challenge }> {
    return (await answers()).challengeFromError(error);
  },
  /** the onboarding an error answer carries (`error.onboarding`), or null when it has none */
  async onboardingFromError(error: unknown): Promise<Onboarding | null> {
    return (await answers()).onboardingFromError(error);
  },
};

/** The Unblock routes (issue 4): each answers the onboarding, except `message` (the SIWE text to sign). */
export const unblockApi = {
  createUser: (input: UnblockUserInput): Promise<Onboarding> => onboardingCall("/api/onboarding/unblock/user", input),
  message: (): Promise<string> => messageCall("/api/onboarding/unblock/message", "Unblock message"),
  login: (signature: string): Promise<Onboarding> => onboardingCall("/api/onboarding/unblock/login", { signature }),
  sendCode: (): Promise<Onboarding> => onboardingCall("/api/onboarding/unblock/otp", {}),
  verifyCode: (code: string): Promise<Onboarding> => onboardingCall("/api/onboarding/unblock/otp/verify", { code }),
  openAccount: (currency: UnblockCurrency): Promise<Onboarding> => onboardingCall("/api/onboarding/unblock/account", { currency }),
};

/** The Bloq routes (issue 5): `message` answers the Bloq text to sign, `login` the onboarding (`linked`). */
export const bloqApi = {
  message: (): Promise<string> => messageCall("/api/onboarding/bloq/message", "Bloq message"),
  login: (signature: string): Promise<Onboarding> => onboardingCall("/api/onboarding/bloq/login", { signature }),
};
