/**
 * Everything one Bloq emulator instance remembers: the merchant's account (HTTP Basic login), its client
 * keys (secrets stored as SHA-256 digests only), the signing secret of every token it issues, the
 * outstanding Stake nonce of each address, and the addresses marked unknown through
 * `POST /_sandbox/bloq/users`. Lives in the instance; `reset()` brings back the sandbox account with its
 * default client key (SANDBOX_DEFAULTS.bloq), a new signing secret (every earlier token dies) and no nonces.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import type { SandboxClock } from "../controls/clock";

/** ours: the sandbox account's user id (HTTP Basic takes it in place of the email) */
export const BLOQ_SANDBOX_ACCOUNT_ID = "b10c5a4d-0000-4000-8000-000000000001";

export interface ClientKeyRecord {
  /** the client id, also the key's `id` in listings and DELETE */
  id: string;
  /** SHA-256 of the secret, hex: the secret itself is never stored */
  secretDigest: Buffer;
  /** ISO, sandbox clock */
  createdAt: string;
}

export interface NonceRecord {
  nonce: string;
  /** sandbox ms */
  expiresAt: number;
}

export function secretDigest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function sameSecret(secret: string, digest: Buffer): boolean {
  return timingSafeEqual(secretDigest(secret), digest);
}

export class BloqState {
  account!: { id: string; email: string; password: string };
  clientKeys!: Map<string, ClientKeyRecord>;
  /** HS256 secret of every token this instance issues */
  jwtSecret!: Uint8Array;
  /** lower-cased address → its one outstanding nonce (a newer request replaces it) */
  nonces!: Map<string, NonceRecord>;
  /** lower-cased addresses Stake does not know (every other address is a known user) */
  unknownUsers!: Set<string>;

  constructor(private readonly clock: SandboxClock) {
    this.reset();
  }

  reset(): void {
    const defaults = SANDBOX_DEFAULTS.bloq;
    this.account = { id: BLOQ_SANDBOX_ACCOUNT_ID, email: defaults.email, password: defaults.password };
    this.clientKeys = new Map();
    this.addClientKey(defaults.clientId, defaults.clientSecret);
    this.jwtSecret = randomBytes(32);
    this.nonces = new Map();
    this.unknownUsers = new Set();
  }

  addClientKey(id: string, secret: string): ClientKeyRecord {
    const record: ClientKeyRecord = { id, secretDigest: secretDigest(secret), createdAt: this.clock.nowDate().toISOString() };
    this.clientKeys.set(id, record);
    return record;
  }

  isKnownUser(address: string): boolean {
    return !this.unknownUsers.has(address.toLowerCase());
  }

  setUserKnown(address: string, known: boolean): void {
    if (known) this.unknownUsers.delete(address.toLowerCase());
    else this.unknownUsers.add(address.toLowerCase());
  }
}
