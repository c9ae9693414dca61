/**
 * Everything one Unblock emulator instance remembers: the merchant's API key, users (by uuid, email and
 * sign-in address), sessions, the SIWE nonces already used, pending email codes and the mailbox. Lives in
 * the instance, never in a module; `reset()` empties it and brings back the default key.
 */
import type { BankAccount, User } from "@/lib/providers/unblock/types";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { NewestItems } from "../controls/newest-items";

/** how many emails the sandbox mailbox keeps, the newest */
export const MAILBOX_KEPT = 2_000;

export interface PendingCode {
  code: string;
  /** sandbox ms */
  expiresAt: number;
  wrongAttempts: number;
}

export interface UserRecord {
  uuid: string;
  firstName: string;
  lastName: string;
  email: string;
  country: string;
  /** EIP-55 */
  signInAddress: string | undefined;
  targetAddress: string | undefined;
  dateOfBirth: string | undefined;
  phone: string | undefined;
  status: "created";
  createdAt: number;
  /** the one live session (a newer login replaces it) */
  currentSessionId: string | undefined;
  /** the last email code requested, until used or replaced */
  pendingCode: PendingCode | undefined;
  accounts: Map<BankAccount["currency"], BankAccount>;
}

export interface SessionRecord {
  id: string;
  userUuid: string;
  /** sandbox ms */
  expiresAt: number;
}

export interface MailItem {
  to: string;
  subject: string;
  body: string;
  code: string;
  /** ISO, sandbox clock */
  sentAt: string;
}

export class UnblockState {
  apiKey!: string;
  users!: Map<string, UserRecord>;
  /** lower-cased email → user uuid (unique per merchant, case-insensitive) */
  usersByEmail!: Map<string, string>;
  /** lower-cased sign-in address → user uuid */
  usersByAddress!: Map<string, string>;
  sessions!: Map<string, SessionRecord>;
  /** SIWE nonces of messages already accepted: a message can be used once */
  usedNonces!: Set<string>;
  /** the newest MAILBOX_KEPT emails */
  mailbox!: NewestItems<MailItem>;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.apiKey = SANDBOX_DEFAULTS.unblock.apiKey;
    this.users = new Map();
    this.usersByEmail = new Map();
    this.usersByAddress = new Map();
    this.sessions = new Map();
    this.usedNonces = new Set();
    this.mailbox = new NewestItems(MAILBOX_KEPT);
  }

  userByAddress(address: string): UserRecord | undefined {
    const uuid = this.usersByAddress.get(address.toLowerCase());
    return uuid === undefined ? undefined : this.users.get(uuid);
  }

  mailFor(email: string | undefined): MailItem[] {
    if (email === undefined) return this.mailbox.list();
    const wanted = email.toLowerCase();
    return this.mailbox.list().filter((item) => item.to.toLowerCase() === wanted);
  }
}

export function userView(user: UserRecord): User {
  return {
    user_uuid: user.uuid,
    status: user.status,
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    country: user.country,
    sign_in_crypto_address: user.signInAddress ?? null,
  };
}
