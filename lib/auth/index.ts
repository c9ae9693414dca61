/**
 * The process's sign-in wiring: settings from the configuration, the contract-wallet signature check and
 * the memory of used nonces, built once. Route handlers use these; the logic is in ./sign-in.ts and ./nonce.ts.
 */
import { config } from "../config";
import { appDatabase } from "../db";
import { isStaffMember } from "../staff/members";
import { getSession } from "../session";
import { createSignatureCheck } from "../siwe/signature-check";
import { ConsumedNonces } from "./nonce";
import { requireUser, type SignInSettings, type SignedInUser } from "./sign-in";
import { sharedValueInProcess } from "../process-shared";

export { currentUser, requireUser, signIn, siweRefusal, type SignedInUser, type SignInSettings } from "./sign-in";
export { issueNonce, NONCE_TTL_SECONDS } from "./nonce";

/** One per process: the used-nonce memory must be the same for every module graph. */
export function signInSettings(): SignInSettings {
  return sharedValueInProcess("sign-in-settings", () => {
    const cfg = config();
    return {
      appOrigin: new URL(cfg.publicUrl).origin,
      chainIds: cfg.chains.ids,
      staffAddresses: cfg.staffAddresses,
      checkSignature: createSignatureCheck({ rpcUrls: cfg.chains.rpcUrls }),
      consumedNonces: new ConsumedNonces(),
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
  return withStaffTable(requireUser(await getSession(), signInSettings()));
}
