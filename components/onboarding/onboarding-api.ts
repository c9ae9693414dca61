/**
 * The browser's calls to the app's end-user API (shared/API.md): sign-in with Ethereum and the onboarding.
 * Every answer is checked for the shape the page relies on (small guards rather than a schema library, to
 * keep the page's first load small); every failure becomes an ApiError with the server's code, or
 * `network` when the server could not be reached.
 */

export interface Session {
  address: string;
  chainId: number;
  isStaff: boolean;
}

export type OffblocksStatus = "challenge_issued" | "verified" | "screening" | "verifying" | "active" | "rejected" | "failed";

export interface Challenge {
  message: string;
  expiresAt: string;
}

export type UnblockStatus = "not_started" | "user_created" | "session_active" | "session_expired";
export type UnblockCurrency = "EUR" | "GBP";

/** The virtual bank account Unblock opens: IBAN + BIC for EUR, sort code + account number for GBP. */
export interface UnblockAccount {
  currency: UnblockCurrency;
  iban?: string;
  bic?: string;
  sortCode?: string;
  accountNumber?: string;
  accountHolder: string;
}

export interface UnblockStep {
  status: UnblockStatus;
  userId?: string;
  email?: string;
  sessionExpiresAt?: string;
  otpSentAt?: string;
  account?: UnblockAccount;
}

/**
 * The optional Bloq step (issue 5): `message_issued` carries the Bloq text awaiting the wallet's signature,
 * `linked` when the link (Bloq's stake token, kept on the server) runs out; `not_allowed` when Bloq does not
 * know the wallet. It never changes the onboarding's overall status.
 */
export type BloqStatus = "not_started" | "message_issued" | "linked" | "not_allowed" | "failed";

export interface BloqStep {
  status: BloqStatus;
  tokenExpiresAt?: string;
  message?: string;
}

export interface Onboarding {
  id: string;
  address: string;
  chainId: number;
  status: "pending" | "verified" | "failed";
  steps: { offblocks: { status: OffblocksStatus; customerId?: string; challenge?: Challenge }; unblock: UnblockStep; bloq: BloqStep };
}

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the server's error code (`siwe_invalid`, `challenge_expired`, …) or `network` / `bad_response` */
    readonly code: string,
    message: string,
    /** the error body's other fields (e.g. a fresh challenge) */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const OFFBLOCKS_STATUSES: readonly OffblocksStatus[] = ["challenge_issued", "verified", "screening", "verifying", "active", "rejected", "failed"];
const FINAL_STATUSES: readonly OffblocksStatus[] = ["active", "rejected", "failed"];

export function isFinal(status: OffblocksStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function bad(what: string): ApiError {
  return new ApiError(0, "bad_response", `The server sent an unexpected answer (${what}). Please try again.`);
}

export function parseSession(value: unknown): Session {
  const body = record(value);
  if (!body || typeof body.address !== "string" || typeof body.chainId !== "number") throw bad("session");
  return { address: body.address, chainId: body.chainId, isStaff: body.isStaff === true };
}

export function parseChallenge(value: unknown): Challenge | undefined {
  const body = record(value);
  if (!body || typeof body.message !== "string" || typeof body.expiresAt !== "string") return undefined;
  return { message: body.message, expiresAt: body.expiresAt };
}

const UNBLOCK_STATUSES: readonly UnblockStatus[] = ["not_started", "user_created", "session_active", "session_expired"];

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === "string" && value.length > 0 ? ({ [key]: value } as Record<K, string>) : {};
}

export function parseUnblockAccount(value: unknown): UnblockAccount | undefined {
  const body = record(value);
  if (!body || (body.currency !== "EUR" && body.currency !== "GBP") || typeof body.accountHolder !== "string") return undefined;
  return {
    currency: body.currency,
    accountHolder: body.accountHolder,
    ...optionalString("iban", body.iban),
    ...optionalString("bic", body.bic),
    ...optionalString("sortCode", body.sortCode),
    ...optionalString("accountNumber", body.accountNumber),
  };
}

/** The Unblock step; `not_started` when the server does not (yet) say more. */
export function parseUnblock(value: unknown): UnblockStep {
  const body = record(value);
  const status = UNBLOCK_STATUSES.includes(body?.status as UnblockStatus) ? (body?.status as UnblockStatus) : "not_started";
  const account = parseUnblockAccount(body?.account);
  return {
    status,
    ...optionalString("userId", body?.userId),
    ...optionalString("email", body?.email),
    ...optionalString("sessionExpiresAt", body?.sessionExpiresAt),
    ...optionalString("otpSentAt", body?.otpSentAt),
    ...(account ? { account } : {}),
  };
}

const BLOQ_STATUSES: readonly BloqStatus[] = ["not_started", "message_issued", "linked", "not_allowed", "failed"];

/** The Bloq step; `not_started` when the server does not (yet) say more. */
export function parseBloq(value: unknown): BloqStep {
  const body = record(value);
  const status = BLOQ_STATUSES.includes(body?.status as BloqStatus) ? (body?.status as BloqStatus) : "not_started";
  return { status, ...optionalString("tokenExpiresAt", body?.tokenExpiresAt), ...optionalString("message", body?.message) };
}

export function parseOnboarding(value: unknown): Onboarding {
  const body = record(value);
  const offblocks = record(record(body?.steps)?.offblocks);
  const status = offblocks?.status;
  if (!body || typeof body.id !== "string" || typeof body.address !== "string" || !offblocks || !OFFBLOCKS_STATUSES.includes(status as OffblocksStatus)) {
    throw bad("onboarding");
  }
  const overall = body.status === "verified" || body.status === "failed" ? body.status : "pending";
  const challenge = parseChallenge(offblocks.challenge);
  return {
    id: body.id,
    address: body.address,
    chainId: typeof body.chainId === "number" ? body.chainId : 0,
    status: overall,
    steps: {
      offblocks: {
        status: status as OffblocksStatus,
        ...(typeof offblocks.customerId === "string" ? { customerId: offblocks.customerId } : {}),
        ...(challenge ? { challenge } : {}),
      },
      unblock: parseUnblock(record(body.steps)?.unblock),
      bloq: parseBloq(record(body.steps)?.bloq),
    },
  };
}

/** The fresh challenge an error answer carries (400 signature_invalid, 410 challenge_expired), wherever it sits. */
export function challengeFromError(error: ApiError): { onboarding?: Onboarding; challenge?: Challenge } {
  const places = [error.details, record(error.details.details) ?? {}];
  for (const place of places) {
    if (place.onboarding) {
      try {
        const onboarding = parseOnboarding(place.onboarding);
        return { onboarding, ...(onboarding.steps.offblocks.challenge ? { challenge: onboarding.steps.offblocks.challenge } : {}) };
      } catch {
        // not an onboarding after all
      }
    }
    const challenge = parseChallenge(place.challenge);
    if (challenge) return { challenge };
  }
  return {};
}

async function call(path: string, init: { method?: "GET" | "POST"; body?: unknown; timeoutMs?: number } = {}): Promise<{ status: number; body: unknown }> {
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
  if (response.ok) return { status: response.status, body };
  const error = record(record(body)?.error);
  const { code, message, ...details } = error ?? {};
  throw new ApiError(
    response.status,
    typeof code === "string" ? code : `http_${response.status}`,
    typeof message === "string" ? message : `The server answered ${response.status}. Please try again.`,
    details,
  );
}

export const onboardingApi = {
  /** the signed-in session, or null when there is none (401) */
  async session(): Promise<Session | null> {
    try {
      return parseSession((await call("/api/auth/session")).body);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  async nonce(): Promise<string> {
    const body = record((await call("/api/auth/nonce")).body);
    if (typeof body?.nonce !== "string") throw bad("nonce");
    return body.nonce;
  },
  async verify(message: string, signature: string): Promise<Session> {
    return parseSession((await call("/api/auth/verify", { method: "POST", body: { message, signature } })).body);
  },
  async logout(): Promise<void> {
    await call("/api/auth/logout", { method: "POST" });
  },
  /** the wallet's onboarding, or null when there is none yet (404) */
  async onboarding(): Promise<Onboarding | null> {
    try {
      return parseOnboarding((await call("/api/onboarding")).body);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  async startOnboarding(): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding", { method: "POST", body: {}, timeoutMs: 60_000 })).body);
  },
  async newChallenge(): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/offblocks/challenge", { method: "POST", timeoutMs: 60_000 })).body);
  },
  async signOffblocks(signature: string): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/offblocks/sign", { method: "POST", body: { signature }, timeoutMs: 60_000 })).body);
  },
};

export interface UnblockUserInput {
  firstName: string;
  lastName: string;
  email: string;
  country: string;
}

/** The Unblock routes (issue 4): each answers the onboarding, except `message` (the SIWE text to sign). */
export const unblockApi = {
  async createUser(input: UnblockUserInput): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/unblock/user", { method: "POST", body: input, timeoutMs: 60_000 })).body);
  },
  async message(): Promise<string> {
    const body = record((await call("/api/onboarding/unblock/message", { method: "POST", body: {}, timeoutMs: 60_000 })).body);
    if (typeof body?.message !== "string") throw bad("Unblock message");
    return body.message;
  },
  async login(signature: string): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/unblock/login", { method: "POST", body: { signature }, timeoutMs: 60_000 })).body);
  },
  async sendCode(): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/unblock/otp", { method: "POST", body: {}, timeoutMs: 60_000 })).body);
  },
  async verifyCode(code: string): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/unblock/otp/verify", { method: "POST", body: { code }, timeoutMs: 60_000 })).body);
  },
  async openAccount(currency: UnblockCurrency): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/unblock/account", { method: "POST", body: { currency }, timeoutMs: 60_000 })).body);
  },
};

/** The Bloq routes (issue 5): `message` answers the Bloq text to sign, `login` the onboarding (`linked`). */
export const bloqApi = {
  async message(): Promise<string> {
    const body = record((await call("/api/onboarding/bloq/message", { method: "POST", body: {}, timeoutMs: 60_000 })).body);
    if (typeof body?.message !== "string") throw bad("Bloq message");
    return body.message;
  },
  async login(signature: string): Promise<Onboarding> {
    return parseOnboarding((await call("/api/onboarding/bloq/login", { method: "POST", body: { signature }, timeoutMs: 60_000 })).body);
  },
};

/** The field-by-field messages of a 400 `invalid_request` / 409 answer (`error.fields`). */
export function fieldErrors(error: ApiError): Record<string, string> {
  const fields = record(error.details.fields);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (typeof value === "string") result[key] = value;
    else if (Array.isArray(value) && typeof value[0] === "string") result[key] = value[0];
  }
  return result;
}
