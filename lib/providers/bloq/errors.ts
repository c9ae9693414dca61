/**
 * Bloq answers → our AppError codes. Bloq's own words are kept in `details` (status, code) only; a token,
 * a secret or a signature is never part of an error.
 *
 * | Bloq answer                                           | our code                    | status |
 * |-------------------------------------------------------|-----------------------------|--------|
 * | Stake nonce 404, Stake /auth 401 (unknown user)       | bloq_user_unknown           | 404    |
 * | Stake /auth 403 (invalid signature)                   | bloq_signature_invalid      | 400    |
 * | Stake /auth 401 `nonce_invalid` (used or expired)     | bloq_nonce_invalid          | 410    |
 * | 401 `jwt expired` (a client or account token ran out) | bloq_token_expired          | 502    |
 * | client key refused (clientCredentials grant)          | bloq_client_refused         | 502    |
 * | account login refused (BLOQ_EMAIL / BLOQ_PASSWORD)    | bloq_account_refused        | 502    |
 * | client key unknown on delete                          | bloq_client_key_not_found   | 404    |
 * | any other 401/403                                     | bloq_unauthorized           | 502    |
 * | 5xx, timeout, unreachable (after retries)             | bloq_unavailable            | 502    |
 * | an answer that does not parse                         | bloq_bad_response           | 502    |
 * | anything else                                         | bloq_rejected               | 502    |
 */
import { AppError } from "../../errors";
import { answerParser } from "../../http/parse-answer";
import type { ProviderResponse } from "../../http/provider-fetch";
import { BLOQ_JWT_EXPIRED, BloqErrorSchema } from "./types";

export const BLOQ_PROVIDER = "bloq";

export const BLOQ_ERROR = {
  userUnknown: "bloq_user_unknown",
  signatureInvalid: "bloq_signature_invalid",
  nonceInvalid: "bloq_nonce_invalid",
  tokenExpired: "bloq_token_expired",
  clientRefused: "bloq_client_refused",
  accountRefused: "bloq_account_refused",
  clientKeyNotFound: "bloq_client_key_not_found",
  unauthorized: "bloq_unauthorized",
  unavailable: "bloq_unavailable",
  badResponse: "bloq_bad_response",
  rejected: "bloq_rejected",
} as const;

/** Bloq's code of an error answer (`{code, message}`), if it has one. */
export function upstreamCode(body: unknown): string | undefined {
  const parsed = BloqErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
}

/** A 401 whose body says the token ran out (`jwt expired`, as text, JSON string or message). */
export function isJwtExpired(response: Pick<ProviderResponse, "status" | "body">): boolean {
  if (response.status !== 401) return false;
  const body = response.body;
  if (typeof body === "string") return body.trim().toLowerCase() === BLOQ_JWT_EXPIRED;
  if (body && typeof body === "object") {
    const { message, code, error } = body as { message?: unknown; code?: unknown; error?: unknown };
    return [message, code, error].some((value) => typeof value === "string" && value.trim().toLowerCase() === BLOQ_JWT_EXPIRED);
  }
  return false;
}

/** The AppError for a non-2xx Bloq answer; `what` names the call in the message. */
export function bloqError(response: Pick<ProviderResponse, "status" | "body">, what: string): AppError {
  const code = upstreamCode(response.body);
  const details = { upstreamStatus: response.status, ...(code ? { upstreamCode: code } : {}) };
  if (isJwtExpired(response)) return new AppError(BLOQ_ERROR.tokenExpired, 502, `Bloq said our token for the ${what} had expired.`, details);
  if (response.status === 401 || response.status === 403) {
    return new AppError(BLOQ_ERROR.unauthorized, 502, `Bloq refused our credentials for the ${what} (${response.status}).`, details);
  }
  if (response.status >= 500) return new AppError(BLOQ_ERROR.unavailable, 502, `Bloq answered ${response.status} to the ${what}.`, details);
  return new AppError(BLOQ_ERROR.rejected, 502, `Bloq refused the ${what} request (${response.status}${code ? ` ${code}` : ""}).`, details);
}

/** Parses a Bloq answer with its wire schema; a mismatch is the provider's fault (502). */
export const parseAnswer = answerParser(BLOQ_ERROR.badResponse, "Bloq");
