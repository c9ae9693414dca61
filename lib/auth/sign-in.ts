/**
 * Sign-in with Ethereum to the app itself (EIP-4361), as strict as lib/siwe/verify.ts allows: the message
 * must name this app's host as its domain and a URI on this app's origin (PUBLIC_URL — never a Host header a
 * caller could choose), version 1, a configured chain, the session's nonce (taken out of the session before
 * anything else, so a replay fails whether this attempt succeeds or not), an issued-at no more than 10
 * minutes old and not in the future, expiration/not-before honoured, and a signature of the address — by
 * ecrecover, or on chain (EIP-1271/6492) when the chain has an RPC URL. Every refusal is one AppError:
 * 401 `siwe_invalid`, its reason in `reason` and in the message.
 */
import type { Address, Hex } from "viem";
import { AppError } from "../errors";
import type { SessionData } from "../session";
import { SESSION_TTL_SECONDS } from "../session";
import { SIWE_FAILURE_TEXT, verifySiwe, type SignatureCheck, type SiweFailure } from "../siwe/verify";
import { NONCE_TTL_SECONDS, takeNonce, type ConsumedNonces, type NonceFailure } from "./nonce";

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
  consumedNonces: ConsumedNonces;
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

/**
 * Verifies a signed sign-in message against the session's nonce. A sign-in attempt ends any earlier
 * sign-in of the session, whatever its outcome. Saves the session; throws `siwe_invalid` (401) on refusal.
 */
export async function signIn(
  session: SessionData & { save(): Promise<void> },
  input: { message: string; signature: Hex },
  settings: SignInSettings,
  now: Date = new Date(),
): Promise<SignedInUser> {
  const taken = takeNonce(session, now, settings.consumedNonces);
  delete session.address;
  delete session.chainId;
  delete session.signedInAt;
  await session.save();
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

  session.address = result.address;
  session.chainId = result.chainId;
  session.signedInAt = now.getTime();
  await session.save();
  return { address: result.address, chainId: result.chainId, isStaff: isStaff(result.address, settings.staffAddresses) };
}

/** The signed-in wallet of the session, if any (and not older than the session's lifetime). */
export function currentUser(
  session: SessionData,
  settings: Pick<SignInSettings, "staffAddresses" | "chainIds">,
  now: Date = new Date(),
): SignedInUser | undefined {
  const { address, chainId, signedInAt } = session;
  if (!address || typeof chainId !== "number" || typeof signedInAt !== "number") return undefined;
  if (now.getTime() - signedInAt >= SESSION_TTL_SECONDS * 1000) return undefined;
  if (!settings.chainIds.includes(chainId)) return undefined; // the chain was removed from APP_CHAIN_IDS since
  return { address, chainId, isStaff: isStaff(address, settings.staffAddresses) };
}

/** The signed-in wallet, or 401 `not_signed_in`. */
export function requireUser(
  session: SessionData,
  settings: Pick<SignInSettings, "staffAddresses" | "chainIds">,
  now: Date = new Date(),
): SignedInUser {
  const user = currentUser(session, settings, now);
  if (!user) throw new AppError("not_signed_in", 401, "Sign in with your wallet first.");
  return user;
}
