/**
 * Bloq's wire format (shared/PROVIDERS.md, Bloq part): Accounts (merchant side), Connect, and Stake (the
 * end user's wallet login). The one definition used by our client (lib/providers/bloq) and the emulator
 * (sandbox/bloq). Choices marked "ours" fill in what Bloq's docs leave open.
 */
import { z } from "zod";

// ── Accounts ────────────────────────────────────────────────────────────────────────────────────────────
/** `POST /auth` with HTTP Basic (email or user id : password) → the account access token (12 h). */
export const AccountTokenSchema = z.object({ accessToken: z.string().min(1) });
export type AccountToken = z.infer<typeof AccountTokenSchema>;

/** `POST /users/me/client-keys` → the new key; the secret is shown this once and never again. */
export const ClientKeyCreatedSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type ClientKeyCreated = z.infer<typeof ClientKeyCreatedSchema>;

/** `GET /users/me/client-keys` → `[{id, createdAt}]` (never a secret). */
export const ClientKeyListSchema = z.array(z.object({ id: z.string().min(1), createdAt: z.string() }));
export type ClientKeyList = z.infer<typeof ClientKeyListSchema>;

export const ClientCredentialsGrantSchema = z.object({
  grantType: z.literal("clientCredentials"),
  clientId: z.string().min(1).max(256),
  clientSecret: z.string().min(1).max(512),
});
export const RefreshTokenGrantSchema = z.object({
  grantType: z.literal("refreshToken"),
  refreshToken: z.string().min(1).max(4096),
});
/** `POST /auth/token` body: one of the two grants. */
export const TokenGrantSchema = z.discriminatedUnion("grantType", [ClientCredentialsGrantSchema, RefreshTokenGrantSchema]);
export type TokenGrant = z.infer<typeof TokenGrantSchema>;

/** clientCredentials → access (1 h) + refresh (1 year, revocable) */
export const ClientTokensSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });
export type ClientTokens = z.infer<typeof ClientTokensSchema>;
/** refreshToken → a new access token */
export const RefreshedTokenSchema = z.object({ accessToken: z.string().min(1) });
export type RefreshedToken = z.infer<typeof RefreshedTokenSchema>;

/** An expired token answers 401 with this body text (Bloq's own words). */
export const BLOQ_JWT_EXPIRED = "jwt expired";

// ── Connect ─────────────────────────────────────────────────────────────────────────────────────────────
export const CONNECT_STATUS_PATH = "/api/v1/status";
/** ours: `GET /api/v1/status` → `{status: "ok"}` */
export const ConnectStatusSchema = z.object({ status: z.string() });

// ── Stake ───────────────────────────────────────────────────────────────────────────────────────────────
export const StakeNonceSchema = z.object({ nonce: z.string().min(1) });
export type StakeNonce = z.infer<typeof StakeNonceSchema>;

export const StakeLoginSchema = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address"),
  service: z.literal("stake"),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/, "must be 0x hex"),
  /** identical to the message's Issued At */
  signedAt: z.string().min(1).max(64),
});
export type StakeLogin = z.infer<typeof StakeLoginSchema>;

/** `POST /auth` → the user's stake token (JWT, 12 h) */
export const StakeTokenSchema = z.object({ token: z.string().min(1) });
export type StakeToken = z.infer<typeof StakeTokenSchema>;

/** ours: error bodies other than `jwt expired` are `{code, message}`. */
export const BloqErrorSchema = z.object({ code: z.string(), message: z.string() });

export const BLOQ_LIFETIMES = {
  accountTokenSeconds: 12 * 3600,
  clientAccessSeconds: 3600,
  clientRefreshSeconds: 365 * 24 * 3600,
  stakeTokenSeconds: 12 * 3600,
} as const;
