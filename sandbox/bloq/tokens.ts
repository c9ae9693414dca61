/**
 * The tokens Bloq issues: HS256 JWTs signed with the instance's random secret, with lifetimes from
 * BLOQ_LIFETIMES counted on the sandbox clock. A `kind` claim says what each one is:
 * - `account` (Accounts `POST /auth`, 12 h, sub = account id)
 * - `client` (client access token, 1 h, sub = client id) and `refresh` (1 year, sub = client id)
 * - `stake` (Stake `POST /auth`, 12 h, sub = the lower-cased address)
 * Verification: an expired token → 401 `jwt expired` (checked after the signature, so only a token of ours
 * can be "expired"); anything else wrong, or a kind this endpoint does not take → 401 `invalid_token`.
 * ours: client access tokens are stateless (they stay valid until they expire after their key is deleted);
 * refresh tokens are revocable: they die with their client key (checked by the refresh grant).
 */
import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { BLOQ_LIFETIMES } from "@/lib/providers/bloq/types";
import type { SandboxClock } from "../controls/clock";
import { invalidToken, jwtExpired } from "./errors";
import type { BloqState } from "./state";

const ISSUER = "bloq-sandbox";

export type TokenKind = "account" | "client" | "refresh" | "stake";

const LIFETIME_SECONDS: Record<TokenKind, number> = {
  account: BLOQ_LIFETIMES.accountTokenSeconds,
  client: BLOQ_LIFETIMES.clientAccessSeconds,
  refresh: BLOQ_LIFETIMES.clientRefreshSeconds,
  stake: BLOQ_LIFETIMES.stakeTokenSeconds,
};

export async function issueToken(state: BloqState, clock: SandboxClock, kind: TokenKind, subject: string): Promise<string> {
  const issuedAt = clock.nowSeconds();
  return new SignJWT({ kind })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setSubject(subject)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + LIFETIME_SECONDS[kind])
    .sign(state.jwtSecret);
}

export interface VerifiedToken {
  kind: TokenKind;
  subject: string;
}

const KINDS: readonly string[] = ["account", "client", "refresh", "stake"] satisfies TokenKind[];

/** The kind and subject of a valid token of one of `accepted` kinds; throws 401 otherwise. */
export async function verifyToken(state: BloqState, clock: SandboxClock, token: string, accepted: readonly TokenKind[]): Promise<VerifiedToken> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, state.jwtSecret, { algorithms: ["HS256"], issuer: ISSUER, currentDate: clock.nowDate() }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw jwtExpired();
    throw invalidToken();
  }
  const { kind, sub } = payload;
  if (typeof kind !== "string" || !KINDS.includes(kind) || typeof sub !== "string") throw invalidToken();
  if (!accepted.includes(kind as TokenKind)) throw invalidToken(`This endpoint does not take a ${kind} token`);
  return { kind: kind as TokenKind, subject: sub };
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive); undefined when absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
