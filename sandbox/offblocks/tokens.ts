/**
 * Access tokens: HS256 JWTs signed with the instance's random secret, valid 1 hour by the sandbox clock,
 * carrying the merchant's credentials generation so that a credentials change kills every earlier token.
 */
import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { OFFBLOCKS_ERROR, OFFBLOCKS_LIFETIMES, type TokenResponse } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import { SandboxHttpError } from "../http/errors";
import { unauthorized } from "./errors";
import type { OffblocksState } from "./state";

const ISSUER = "offblocks-sandbox";

export async function issueToken(state: OffblocksState, clock: SandboxClock): Promise<TokenResponse> {
  const issuedAt = clock.nowSeconds();
  const expiresAt = issuedAt + OFFBLOCKS_LIFETIMES.tokenSeconds;
  const token = await new SignJWT({ gen: state.merchant.generation })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setSubject(state.merchant.id)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(state.jwtSecret);
  return { token, expiresAt, tokenType: "Bearer" };
}

/** The merchant id of a valid token; throws 401 `unauthorized` or `token_expired`. */
export async function verifyToken(state: OffblocksState, clock: SandboxClock, token: string): Promise<string> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, state.jwtSecret, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      currentDate: clock.nowDate(),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new SandboxHttpError(401, OFFBLOCKS_ERROR.tokenExpired, "The access token has expired");
    }
    throw unauthorized("The access token is invalid");
  }
  const merchant = state.merchant;
  if (payload.sub !== merchant.id) throw unauthorized("The access token is invalid");
  if (merchant.revoked) throw unauthorized("API access has been revoked");
  if (payload.gen !== merchant.generation) throw unauthorized("The access token was invalidated by a credentials change");
  return merchant.id;
}
