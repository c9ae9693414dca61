/**
 * The Unblock client's types in the app's language (camelCase, our names) and their mapping to and from
 * Unblock's wire format (./types.ts). Only this folder sees `first_name`, `user_uuid`, `account_holder` & co.
 */
import type { BankAccount, UnblockSession, User, UserCreate, UserCreated } from "./types";

/** The user to create at Unblock: what the person typed, and the wallet that will sign in. */
export interface NewUnblockUser {
  firstName: string;
  lastName: string;
  email: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** the wallet that signs in with SIWE (Unblock finds the user by it) */
  signInAddress?: string;
}

export interface CreatedUnblockUser {
  userId: string;
  status: string;
}

export interface UnblockUser extends CreatedUnblockUser {
  firstName: string;
  lastName: string;
  email: string;
  country: string;
  signInAddress?: string | null;
}

/** A signed-in Unblock session: the id travels only as the `unblock-session-id` header. */
export interface UnblockSignIn {
  userId: string;
  sessionId: string;
}

/** The user's virtual account: IBAN for EUR, sort code + account number for GBP. */
export type UnblockAccount =
  { currency: "EUR"; iban: string; bic: string; accountHolder: string } | { currency: "GBP"; sortCode: string; accountNumber: string; accountHolder: string };

export function toWireUser(user: NewUnblockUser): UserCreate {
  return {
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    country: user.country,
    ...(user.signInAddress === undefined ? {} : { sign_in_crypto_address: user.signInAddress }),
  };
}

export const fromWireCreatedUser = (created: UserCreated): CreatedUnblockUser => ({ userId: created.user_uuid, status: created.status });

export function fromWireUser(user: User): UnblockUser {
  return {
    userId: user.user_uuid,
    status: user.status,
    firstName: user.first_name,
    lastName: user.last_name,
    email: user.email,
    country: user.country,
    ...(user.sign_in_crypto_address === undefined ? {} : { signInAddress: user.sign_in_crypto_address }),
  };
}

export const fromWireSession = (session: UnblockSession): UnblockSignIn => ({ userId: session.user_uuid, sessionId: session.unblock_session_id });

export function fromWireAccount(account: BankAccount): UnblockAccount {
  return account.currency === "EUR"
    ? { currency: "EUR", iban: account.iban, bic: account.bic, accountHolder: account.account_holder }
    : { currency: "GBP", sortCode: account.sort_code, accountNumber: account.account_number, accountHolder: account.account_holder };
}
