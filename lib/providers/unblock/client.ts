/**
 * The Unblock calls the app makes (shared/PROVIDERS.md, Unblock part): every request carries
 * `Authorization: API-Key <key>`; every answer is parsed with the wire schemas of ./types.ts; every refusal
 * becomes an AppError (./errors.ts). It takes and answers the app's types (./app-types.ts): the wire format stays in this folder.
 *
 * Retries: Unblock has no Idempotency-Key, so only calls that are safe to repeat are retried (5xx, timeouts,
 * connection errors, with jitter — lib/http): `GET /user`. Every POST is sent once — a repeated `POST /user`
 * could create the user twice (or answer "email taken" for our own first try), a repeated login would spend
 * the single-use nonce or send a second code, a repeated OTP check would count as a wrong try, a repeated
 * account request may open a second account. A failed POST answers 502 `unblock_unavailable` at once.
 *
 * The session id travels only in the `unblock-session-id` header; it is never logged (lib/http logs the
 * method, path and status only) and never part of an error.
 */
import type { Logger } from "pino";
import { AppError } from "../../errors";
import { ProviderClock } from "../../http/provider-clock";
import { createProviderFetch, isSuccess, type HttpMethod, type ProviderFetch, type ProviderResponse } from "../../http/provider-fetch";
import type { BackoffOptions } from "../../http/retry";
import {
  fromWireAccount,
  fromWireCreatedUser,
  fromWireSession,
  fromWireUser,
  toWireUser,
  type CreatedUnblockUser,
  type NewUnblockUser,
  type UnblockAccount,
  type UnblockSignIn,
  type UnblockUser,
} from "./app-types";
import { parseAnswer, unblockError, USER_FIELD_NAMES, type FieldErrors } from "./errors";
import {
  BankAccountSchema,
  OtpRequestedSchema,
  SessionSchema,
  UNBLOCK_AUTH_PREFIX,
  UNBLOCK_LOGIN_PATH,
  UNBLOCK_SESSION_HEADER,
  UNBLOCK_USER_HEADER,
  UserCreateSchema,
  UserCreatedSchema,
  UserSchema,
  type SiweLogin,
} from "./types";

export const UNBLOCK_PROVIDER = "unblock";

export type UnblockCurrency = "EUR" | "GBP";

export interface UnblockApi {
  /** `POST /user` (sent once). Validates the fields first: 400 `invalid_request` with `fields`. */
  createUser(input: NewUnblockUser): Promise<CreatedUnblockUser>;
  /** `GET /user` with `user-uuid` (retried). */
  getUser(userId: string): Promise<UnblockUser>;
  /** `POST /auth/login {message, signature}` (sent once: the nonce is single use). */
  loginWithSiwe(input: SiweLogin): Promise<UnblockSignIn>;
  /** `POST /auth/login {user_uuid}`: Unblock emails the user a one-time code (sent once). */
  requestOtp(userId: string): Promise<void>;
  /** `POST /auth/otp {one_time_password, user_uuid}` (sent once: a repeat would count as a wrong try). */
  verifyOtp(userId: string, code: string): Promise<UnblockSignIn>;
  /** `POST /user/bank-account/unblock {currency}` with `unblock-session-id` (sent once). */
  openBankAccount(sessionId: string, currency: UnblockCurrency): Promise<UnblockAccount>;
  /** "ok" when Unblock answers with our key now (an authenticated GET of an unknown user: 404 is fine). */
  health(): Promise<"ok" | "down">;
  /** Unblock's time as its last answer's Date header showed it (messages it checks are stamped with it) */
  providerNow(): Date;
}

export interface UnblockApiOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** retries of the calls that are safe to repeat (GETs) */
  maxRetries: number;
  logger?: Logger;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
}

/** The first problem of each user field, in the app's field names. */
export function userFieldErrors(input: NewUnblockUser): FieldErrors | undefined {
  const parsed = UserCreateSchema.safeParse(toWireUser(input));
  if (parsed.success) return undefined;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const wire = issue.path[0];
    const ours = typeof wire === "string" && wire in USER_FIELD_NAMES ? USER_FIELD_NAMES[wire as keyof typeof USER_FIELD_NAMES] : undefined;
    if (ours && fields[ours] === undefined) fields[ours] = issue.message;
  }
  return fields;
}

export function invalidUserFields(fields: FieldErrors): AppError {
  const names = Object.keys(fields);
  return new AppError("invalid_request", 400, `Please check ${names.length > 0 ? names.join(", ") : "the form"}.`, { fields });
}

export function createUnblockApi(options: UnblockApiOptions): UnblockApi {
  const baseUrl = options.baseUrl.replace(/\/$/, "");
  const authorization = `${UNBLOCK_AUTH_PREFIX}${options.apiKey}`;
  const clock = new ProviderClock();
  const baseFetch = clock.wrap(options.fetch ?? globalThis.fetch);
  const settings = {
    provider: UNBLOCK_PROVIDER,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    logger: options.logger,
    backoff: options.backoff,
  };
  const plain = createProviderFetch({ ...settings, fetch: baseFetch });

  /** A fetch that adds Unblock's user/session headers (lib/http knows only Authorization). */
  function withHeaders(extra: Record<string, string>): ProviderFetch {
    const fetchWithHeaders: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(extra)) headers.set(name, value);
      return baseFetch(input, { ...init, headers });
    };
    return createProviderFetch({ ...settings, fetch: fetchWithHeaders });
  }

  function send(
    method: HttpMethod,
    path: string,
    body?: unknown,
    extra: { headers?: Record<string, string>; retry?: boolean } = {},
  ): Promise<ProviderResponse> {
    const http = extra.headers ? withHeaders(extra.headers) : plain;
    return http({ method, url: `${baseUrl}${path}`, body, authorization, ...(extra.retry ? {} : { maxRetries: 0 }) });
  }

  return {
    providerNow: () => clock.now(),

    async createUser(input) {
      const fields = userFieldErrors(input);
      if (fields) throw invalidUserFields(fields);
      const response = await send("POST", "/user", UserCreateSchema.parse(toWireUser(input)));
      if (!isSuccess(response)) throw unblockError(response, "user");
      return fromWireCreatedUser(parseAnswer(UserCreatedSchema, response.body, "user"));
    },

    async getUser(userId) {
      const response = await send("GET", "/user", undefined, { headers: { [UNBLOCK_USER_HEADER]: userId }, retry: true });
      if (!isSuccess(response)) throw unblockError(response, "user");
      return fromWireUser(parseAnswer(UserSchema, response.body, "user"));
    },

    async loginWithSiwe({ message, signature }) {
      const response = await send("POST", UNBLOCK_LOGIN_PATH, { message, signature });
      if (!isSuccess(response)) throw unblockError(response, "sign-in");
      return fromWireSession(parseAnswer(SessionSchema, response.body, "sign-in"));
    },

    async requestOtp(userId) {
      const response = await send("POST", UNBLOCK_LOGIN_PATH, { user_uuid: userId });
      if (!isSuccess(response)) throw unblockError(response, "email code");
      // ours: `{user_uuid, message}`; the answer carries nothing we need beyond its status
      if (response.body !== null) parseAnswer(OtpRequestedSchema, response.body, "email code");
    },

    async verifyOtp(userId, code) {
      const response = await send("POST", "/auth/otp", { one_time_password: code, user_uuid: userId });
      if (!isSuccess(response)) throw unblockError(response, "email code");
      return fromWireSession(parseAnswer(SessionSchema, response.body, "email code"));
    },

    async openBankAccount(sessionId, currency) {
      const response = await send("POST", "/user/bank-account/unblock", { currency }, { headers: { [UNBLOCK_SESSION_HEADER]: sessionId } });
      if (!isSuccess(response)) throw unblockError(response, "bank account", true);
      return fromWireAccount(parseAnswer(BankAccountSchema, response.body, "bank account"));
    },

    async health() {
      try {
        const response = await send("GET", "/user", undefined, { headers: { [UNBLOCK_USER_HEADER]: "00000000-0000-4000-8000-000000000000" } });
        return response.status < 500 && response.status !== 401 && response.status !== 403 ? "ok" : "down";
      } catch {
        return "down";
      }
    },
  };
}
