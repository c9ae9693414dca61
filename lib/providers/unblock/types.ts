/**
 * Unblock's wire format (shared/PROVIDERS.md, Unblock part): the one definition of every request and answer
 * body, used by our client (lib/providers/unblock) and by the emulator (sandbox/unblock). Fields and codes
 * marked "ours" are choices made where Unblock's docs are silent.
 */
import { z } from "zod";

/** The merchant key header: `Authorization: API-Key <key>` (the prefix is part of it). */
export const UNBLOCK_AUTH_PREFIX = "API-Key ";
export const UNBLOCK_SESSION_HEADER = "unblock-session-id";
export const UNBLOCK_USER_HEADER = "user-uuid";

/** Latin letters (with spaces, hyphens and apostrophes inside), 2–48 characters. */
export const UnblockNameSchema = z
  .string()
  .min(2, "must be 2 to 48 characters")
  .max(48, "must be 2 to 48 characters")
  .regex(/^[A-Za-z]+(?:[ '-][A-Za-z]+)*$/, "must be written in Latin letters");

/** ISO 3166-1 alpha-2, upper case. */
export const CountryCodeSchema = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as DE or GB");

const evmAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address");

export const UserCreateSchema = z.object({
  first_name: UnblockNameSchema,
  last_name: UnblockNameSchema,
  email: z.string().email("must be an email address").max(254),
  country: CountryCodeSchema,
  sign_in_crypto_address: evmAddress.optional(),
  target_address: evmAddress.optional(),
  date_of_birth: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
    .optional(),
  phone: z.string().min(4).max(32).optional(),
});
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserCreatedSchema = z.object({ user_uuid: z.string().uuid(), status: z.string() });
export type UserCreated = z.infer<typeof UserCreatedSchema>;

/** ours: `GET /user` answers the user's own fields. */
export const UserSchema = z.object({
  user_uuid: z.string().uuid(),
  status: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  country: z.string(),
  sign_in_crypto_address: z.string().nullable().optional(),
});
export type User = z.infer<typeof UserSchema>;

export const SiweLoginSchema = z.object({
  message: z.string().min(1).max(8192),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x hex"),
});
export type SiweLogin = z.infer<typeof SiweLoginSchema>;

/** `POST /auth/login {user_uuid}` asks Unblock to email a one-time code. */
export const OtpRequestSchema = z.object({ user_uuid: z.string().uuid() });
export type OtpRequest = z.infer<typeof OtpRequestSchema>;

/** ours: the answer to an OTP request. */
export const OtpRequestedSchema = z.object({ user_uuid: z.string().uuid(), message: z.string() });

export const OtpVerifySchema = z.object({
  one_time_password: z.string().regex(/^\d{4,6}$/, "must be the 4 to 6 digit code"),
  user_uuid: z.string().uuid(),
});
export type OtpVerify = z.infer<typeof OtpVerifySchema>;

export const SessionSchema = z.object({ user_uuid: z.string().uuid(), unblock_session_id: z.string().uuid() });
export type UnblockSession = z.infer<typeof SessionSchema>;

export const UNBLOCK_CURRENCIES = ["EUR", "GBP"] as const;
export const BankAccountRequestSchema = z.object({ currency: z.enum(UNBLOCK_CURRENCIES) });
export type BankAccountRequest = z.infer<typeof BankAccountRequestSchema>;

/** ours: the user's virtual account — IBAN for EUR, sort code + account number for GBP. */
export const BankAccountSchema = z.discriminatedUnion("currency", [
  z.object({ currency: z.literal("EUR"), iban: z.string(), bic: z.string(), account_holder: z.string() }),
  z.object({ currency: z.literal("GBP"), sort_code: z.string(), account_number: z.string(), account_holder: z.string() }),
]);
export type BankAccount = z.infer<typeof BankAccountSchema>;

/** Unblock's error body: `{error_id, message}`. */
export const UnblockErrorSchema = z.object({ error_id: z.string(), message: z.string() });
export type UnblockErrorBody = z.infer<typeof UnblockErrorSchema>;

/** ours: the error ids the emulator answers and our client reacts to. */
export const UNBLOCK_ERROR = {
  invalidRequest: "invalid_request",
  unauthorized: "unauthorized",
  emailTaken: "email_already_registered",
  /** 409: the sign-in address belongs to another user (SIWE finds the user by it) */
  addressTaken: "address_already_registered",
  userNotFound: "user_not_found",
  siweInvalid: "siwe_invalid",
  nonceReused: "nonce_already_used",
  otpInvalid: "otp_invalid",
  otpExpired: "otp_expired",
  otpLocked: "otp_locked",
  /** 401: the session id is unknown or past its 4 h */
  sessionExpired: "session_expired",
  /** 403: a newer login ended this session (one active session per user) */
  sessionSuperseded: "session_superseded",
  notFound: "not_found",
} as const;

export const UNBLOCK_LIFETIMES = {
  sessionSeconds: 4 * 3600,
  /** the furthest a SIWE message's Expiration Time may be */
  messageMaxSeconds: 4 * 3600,
  otpSeconds: 10 * 60,
  otpMaxAttempts: 5,
} as const;

/** The SIWE statement Unblock's docs use. */
export const UNBLOCK_SIWE_STATEMENT = "Sign in with Ethereum";
/** The login endpoint path; the SIWE message's URI is `<base>/auth/login`. */
export const UNBLOCK_LOGIN_PATH = "/auth/login";
