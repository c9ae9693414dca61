/**
 * Sign-in with Ethereum to the app itself (EIP-4361), as strict as lib/siwe/verify.ts allows: the message
 * must name this app's host as its domain and a URI on this app's origin (PUBLIC_URL — never a Host header a
 * caller could choose), version 1, a configured chain, the session's nonce (taken out of the session before
 * anything else, so a replay fails whether this attempt succeeds or not), an issued-at no more than 10
 * minutes old and not in the future, expiration/not-before honoured, and a signature of the address — by
 * ecrecover, or on chain (EIP-1271/6492) when the chain has an RPC URL. Every refusal is one AppError:
 * 401 `siwe_invalid`, its reason in `reason` and in the message. A sign-in is a server-side session row
 * (./sessions.ts) whose id the cookie carries; the nonce is a row too (./nonce.ts).
 */
import type { Address, Hex } from "viem";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { SessionData } from "../session";
import { SIWE_FAILURE_TEXT, verifySiwe, type SignatureCheck, type SiweFailure } from "../siwe/verify";
import { NONCE_TTL_SECONDS, takeNonce, type NonceFailure } from "./nonce";
import { createSession, endSession, liveSession, notSignedInReason } from "./sessions";

export interface SignedInUser {
  address: Address;
  chainId: number;
  isStaff: boolean;
}

export interface SignInSettings {
  /** the app's public origin (PUBLIC_URL), e.g. `http://localhost:3000` */
  appOrigin: string;
  chainIds: readonly number[];
  staffAddresses: readonly Address[];
  checkSignature: SignatureCheck;
}

export type SignInFailure = SiweFailure | NonceFailure;

export const SIGN_IN_FAILURE_TEXT: Record<SignInFailure, string> = {
  ...SIWE_FAILURE_TEXT,
  nonce_missing: "no unused nonce in this session; ask for a new one",
  nonce_expired: "the nonce has expired; ask for a new one",
};

export function siweRefusal(reason: SignInFailure): AppError {
  return new AppError("siwe_invalid", 401, `Sign-in refused: ${SIGN_IN_FAILURE_TEXT[reason]}`, { reason });
}

const isStaff = (address: Address, staff: readonly Address[]) => staff.includes(address);

/** The cookie's session data and a way to write it back. */
export type SessionCookie = SessionData & { save(): Promise<void> };

/**
 * Verifies a signed sign-in message against the cookie's nonce. A sign-in attempt ends any earlier sign-in
 * of the cookie, whatever its outcome. Saves the cookie; throws `siwe_invalid` (401) on refusal.
 */
export async function signIn(
  db: Db,
  cookie: SessionCookie,
  input: { message: string; signature: Hex },
  settings: SignInSettings,
  options: { now?: Date; userAgent?: string | null } = {},
): Promise<SignedInUser> {
  const now = options.now ?? new Date();
  const taken = await takeNonce(db, cookie.nonceId, now);
  delete cookie.nonceId;
  if (cookie.sessionId) await endSession(db, cookie.sessionId, "replaced", now);
  delete cookie.sessionId;
  await cookie.save();
  if ("failure" in taken) throw siweRefusal(taken.failure);

  const origin = new URL(settings.appOrigin);
  const result = await verifySiwe(
    input,
    {
      domain: origin.host,
      uriOrigin: origin.origin,
      nonce: taken.nonce,
      chainIds: settings.chainIds,
      maxAgeSeconds: NONCE_TTL_SECONDS,
      at: now,
    },
    settings.checkSignature,
  );
  if (!result.valid) throw siweRefusal(result.reason);

  const session = await createSession(db, { address: result.address, chainId: result.chainId, userAgent: options.userAgent ?? null }, now);
  cookie.sessionId = session.id;
  await cookie.save();
  return { address: result.address, chainId: result.chainId, isStaff: isStaff(result.address, settings.staffAddresses) };
}

/** Ends the cookie's session on every instance and clears the cookie. */
export async function signOut(db: Db, cookie: SessionData & { destroy(): void }, now: Date = new Date()): Promise<void> {
  if (cookie.sessionId) await endSession(db, cookie.sessionId, "logout", now);
  cookie.destroy();
}

/** The signed-in wallet of the cookie, if its session is live (and its chain still configured). */
export async function currentUser(
  db: Db,
  cookie: SessionData,
  settings: Pick<SignInSettings, "staffAddresses" | "chainIds">,
  now: Date = new Date(),
): Promise<SignedInUser | undefined> {
  const session = await liveSession(db, cookie.sessionId, now);
  if (!session) return undefined;
  if (!settings.chainIds.includes(session.chainId)) return undefined; // the chain was removed from APP_CHAIN_IDS since
  return { address: session.address, chainId: session.chainId, isStaff: isStaff(session.address, settings.staffAddresses) };
}

/** The signed-in wallet, or 401 `not_signed_in` with `reason` (none, signed_out, ended, expired: ./sessions.ts). */
export async function requireUser(
  db: Db,
  cookie: SessionData,
  settings: Pick<SignInSettings, "staffAddresses" | "chainIds">,
  now: Date = new Date(),
): Promise<SignedInUser> {
  const user = await currentUser(db, cookie, settings, now);
  if (!user) throw new AppError("not_signed_in", 401, "Sign in with your wallet first.", { reason: await notSignedInReason(db, cookie.sessionId, now) });
  return user;
}
