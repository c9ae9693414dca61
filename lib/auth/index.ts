/**
 * The process's sign-in wiring: settings from the configuration and the contract-wallet signature check,
 * built once, and the current request's cookie and database. Route handlers use these; the logic is in
 * ./sign-in.ts, ./nonce.ts and ./sessions.ts.
 */
import { config } from "../config";
import { appDatabase } from "../db";
import { isStaffMember } from "../staff/members";
import { getSession } from "../session";
import { createSignatureCheck } from "../siwe/signature-check";
import { headers } from "next/headers";
import { issueNonce } from "./nonce";
import { currentUser, requireUser, signIn, signOut, type SignInSettings, type SignedInUser } from "./sign-in";
import { sharedValueInProcess } from "../process-shared";
import type { Hex } from "viem";

export { currentUser, requireUser, signIn, signOut, siweRefusal, type SignedInUser, type SignInSettings } from "./sign-in";
export { issueNonce, NONCE_TTL_SECONDS } from "./nonce";
export { endSession, endSessionsOf, listLiveSessions, SESSION_TTL_SECONDS, type SessionRecord } from "./sessions";

/** Built once per process (the signature check holds RPC clients). */
export function signInSettings(): SignInSettings {
  return sharedValueInProcess("sign-in-settings", () => {
    const cfg = config();
    return {
      appOrigin: new URL(cfg.publicUrl).origin,
      chainIds: cfg.chains.ids,
      staffAddresses: cfg.staffAddresses,
      checkSignature: createSignatureCheck({ rpcUrls: cfg.chains.rpcUrls }),
    };
  });
}

/** `user` with `isStaff` also true when the wallet is in the staff table (not only in STAFF_ADDRESSES). */
export async function withStaffTable(user: SignedInUser): Promise<SignedInUser> {
  if (user.isStaff) return user;
  const { db } = await appDatabase();
  return (await isStaffMember(db, user.address)) ? { ...user, isStaff: true } : user;
}

/** The signed-in wallet of the current request, or 401 `not_signed_in`. */
export async function signedInUser(): Promise<SignedInUser> {
  return (await signedInUserAndSession()).user;
}

/**
 * The signed-in wallet of the current request without the staff table's answer (`isStaff` from STAFF_ADDRESSES
 * only), or 401 `not_signed_in`: for the onboarding routes, which act on the wallet whoever it is.
 */
export async function signedInWallet(): Promise<SignedInUser> {
  const { db } = await appDatabase();
  return requireUser(db, await getSession(), signInSettings());
}

/** The signed-in wallet and the id of its live session (to mark "this session" in a list), or 401 `not_signed_in`. */
export async function signedInUserAndSession(): Promise<{ user: SignedInUser; sessionId: string }> {
  const { db } = await appDatabase();
  const cookie = await getSession();
  const user = await withStaffTable(await requireUser(db, cookie, signInSettings()));
  return { user, sessionId: cookie.sessionId! };
}

/** The signed-in wallet of the current request, if any (staff pages decide what to show with it). */
export async function signedInUserIfAny(): Promise<SignedInUser | undefined> {
  const { db } = await appDatabase();
  const user = await currentUser(db, await getSession(), signInSettings());
  return user ? withStaffTable(user) : undefined;
}

/** GET /api/auth/nonce: a fresh nonce, its id in the cookie. */
export async function issueRequestNonce(): Promise<string> {
  const { db } = await appDatabase();
  const cookie = await getSession();
  const { id, nonce } = await issueNonce(db, new Date(), cookie.nonceId);
  cookie.nonceId = id;
  await cookie.save();
  return nonce;
}

/** POST /api/auth/verify. */
export async function signInRequest(input: { message: string; signature: Hex }): Promise<SignedInUser> {
  const { db } = await appDatabase();
  const userAgent = (await headers()).get("user-agent");
  return withStaffTable(await signIn(db, await getSession(), input, signInSettings(), { userAgent }));
}

/** POST /api/auth/logout. */
export async function signOutRequest(): Promise<void> {
  const { db } = await appDatabase();
  await signOut(db, await getSession());
}
