/**
 * Unblock answers → our AppError codes. Unblock's own `error_id` is kept in `details.upstreamCode`; its
 * message is passed on only for validation errors (it names the field), never for anything else.
 *
 * | Unblock answer                                | our code                       | status |
 * |-----------------------------------------------|--------------------------------|--------|
 * | 400 invalid_request (user fields)             | invalid_request + `fields`     | 400    |
 * | email_already_registered                      | email_taken + `fields.email`   | 409    |
 * | address_already_registered                    | unblock_wallet_taken           | 409    |
 * | session_expired (401) / session_superseded (403) | unblock_session_expired (+ `reason`) | 401 |
 * | siwe_invalid                                  | unblock_signature_invalid      | 400    |
 * | nonce_already_used                            | unblock_nonce_used             | 409    |
 * | otp_invalid / otp_expired / otp_locked        | otp_invalid 400 / otp_expired 410 / otp_locked 429 |
 * | user_not_found                                | unblock_user_not_found         | 404    |
 * | unauthorized (our API key refused)            | unblock_unauthorized           | 502    |
 * | 5xx, timeout, unreachable (after retries)     | unblock_unavailable            | 502    |
 * | anything else                                 | unblock_rejected               | 502    |
 */
import { AppError } from "../../errors";
import { answerParser } from "../../http/parse-answer";
import type { ProviderResponse } from "../../http/provider-fetch";
import { UNBLOCK_ERROR, UnblockErrorSchema } from "./types";

/** Our names of the user fields, by Unblock's (the app's API speaks camelCase). */
export const USER_FIELD_NAMES = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  country: "country",
} as const;
export type UserField = (typeof USER_FIELD_NAMES)[keyof typeof USER_FIELD_NAMES];
export type FieldErrors = Partial<Record<UserField, string>>;

export const SESSION_EXPIRED_CODE = "unblock_session_expired";

/** Unblock's error id of an answer, if it has one. */
export function upstreamErrorId(body: unknown): string | undefined {
  const parsed = UnblockErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error_id : undefined;
}

function upstreamMessage(body: unknown): string | undefined {
  const parsed = UnblockErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.message : undefined;
}

/** The user fields an Unblock validation message names (`first_name: …`), in our names. */
export function fieldsNamedIn(message: string | undefined): FieldErrors {
  const fields: FieldErrors = {};
  if (!message) return fields;
  for (const [wire, ours] of Object.entries(USER_FIELD_NAMES)) {
    const match = new RegExp(`\\b${wire}\\b[:\\s]*([^;\\n]*)`).exec(message);
    if (match) fields[ours] = match[1]?.trim() || "is not accepted by Unblock";
  }
  return fields;
}

/** The session refusal the page acts on (sign in again). */
export function sessionExpiredError(reason: "expired" | "superseded", details: Record<string, unknown> = {}): AppError {
  return new AppError(
    SESSION_EXPIRED_CODE,
    401,
    reason === "superseded"
      ? "Your Unblock session was ended by a newer sign-in. Sign in to Unblock again."
      : "Your Unblock session has expired. Sign in to Unblock again.",
    { reason, ...details },
  );
}

/**
 * The AppError for a non-2xx Unblock answer. `what` names the call for messages; `withSession`: the call
 * carried an `unblock-session-id`, so a bare 401/403 means that session is no longer valid.
 */
export function unblockError(response: Pick<ProviderResponse, "status" | "body">, what: string, withSession = false): AppError {
  const id = upstreamErrorId(response.body);
  const details = { upstreamStatus: response.status, ...(id ? { upstreamCode: id } : {}) };
  switch (id) {
    case UNBLOCK_ERROR.sessionExpired:
      return sessionExpiredError("expired", details);
    case UNBLOCK_ERROR.sessionSuperseded:
      return sessionExpiredError("superseded", details);
    case UNBLOCK_ERROR.emailTaken:
      return new AppError("email_taken", 409, "Unblock already has a user with this email address.", {
        ...details,
        fields: { email: "is already registered at Unblock" },
      });
    case UNBLOCK_ERROR.addressTaken:
      return new AppError("unblock_wallet_taken", 409, "Unblock already has a user signing in with this wallet.", details);
    case UNBLOCK_ERROR.siweInvalid:
      return new AppError("unblock_signature_invalid", 400, "Unblock did not accept the signed message; ask for a new one and sign it.", details);
    case UNBLOCK_ERROR.nonceReused:
      return new AppError("unblock_nonce_used", 409, "This sign-in message was already used; ask for a new one.", details);
    case UNBLOCK_ERROR.otpInvalid:
      return new AppError("otp_invalid", 400, "The code is not the one Unblock sent.", details);
    case UNBLOCK_ERROR.otpExpired:
      return new AppError("otp_expired", 410, "The code has expired; ask for a new one.", details);
    case UNBLOCK_ERROR.otpLocked:
      return new AppError("otp_locked", 429, "Too many wrong codes; ask for a new one.", details);
    case UNBLOCK_ERROR.userNotFound:
      return new AppError("unblock_user_not_found", 404, "Unblock does not know this user.", details);
    case UNBLOCK_ERROR.unauthorized:
      return new AppError("unblock_unauthorized", 502, "Unblock refused our API key (UNBLOCK_API_KEY).", details);
    case UNBLOCK_ERROR.invalidRequest: {
      const fields = fieldsNamedIn(upstreamMessage(response.body));
      return new AppError("invalid_request", 400, `Unblock refused the ${what}: ${upstreamMessage(response.body) ?? "invalid request"}`, {
        ...details,
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
      });
    }
    default:
      break;
  }
  if (withSession && response.status === 401) return sessionExpiredError("expired", details);
  if (withSession && response.status === 403) return sessionExpiredError("superseded", details);
  if (response.status === 401 || response.status === 403) {
    return new AppError("unblock_unauthorized", 502, "Unblock refused our API key (UNBLOCK_API_KEY).", details);
  }
  if (response.status === 404) return new AppError("unblock_not_found", 404, `Unblock does not know this ${what}.`, details);
  if (response.status >= 500) return new AppError("unblock_unavailable", 502, `Unblock answered ${response.status}.`, details);
  return new AppError("unblock_rejected", 502, `Unblock refused the ${what} request (${response.status}${id ? ` ${id}` : ""}).`, details);
}

/** Parses a Unblock answer with its wire schema; a mismatch is the provider's fault (502). */
export const parseAnswer = answerParser("unblock_bad_response", "Unblock");
