/**
 * Everything one OffBlocks emulator instance remembers: the merchant (credentials, token generation,
 * signing key), customers, webhooks and idempotency memory. Lives in the instance, never in a module,
 * so that many sandboxes can run side by side; `reset()` brings back the default credentials.
 */
import { randomBytes, randomUUID, type KeyObject } from "node:crypto";
import type { Customer, CustomerStatus, Webhook, WebhookPut } from "@/lib/providers/offblocks/types";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { IdempotencyStore } from "./idempotency";

export interface SigningKeyRecord {
  keyId: string;
  key: KeyObject;
}

export interface Merchant {
  id: string;
  apiKey: string;
  apiSecret: string;
  /** bumped by every credentials change: tokens carry it and die with it */
  generation: number;
  /** DELETE /auth/credentials: no API access until /_sandbox/reset */
  revoked: boolean;
  signingKey: SigningKeyRecord | undefined;
}

export interface IssuedChallenge {
  /** what the API hands out and expects back: base64 of `text` */
  base64: string;
  text: string;
  domain: string;
  uri: string;
  nonce: string;
  issuedAt: number;
  expiresAt: number;
}

export interface CustomerRecord {
  id: string;
  externalId: string;
  chainId: string;
  status: CustomerStatus;
  createdAt: number;
  updatedAt: number;
  /** the current challenge while the customer is initiating */
  challenge: IssuedChallenge | undefined;
  /** challenges handed out before and replaced (after expiry or a failed signature) */
  retiredChallenges: Set<string>;
}

export interface WebhookRecord {
  id: string;
  callbackUrl: string;
  types: WebhookPut["types"];
  createdAt: number;
  updatedAt: number;
}

export class OffblocksState {
  merchant!: Merchant;
  jwtSecret!: Uint8Array;
  customers!: Map<string, CustomerRecord>;
  webhooks!: Map<string, WebhookRecord>;
  idempotency!: IdempotencyStore;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.merchant = {
      id: randomUUID(),
      apiKey: SANDBOX_DEFAULTS.offblocks.apiKey,
      apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret,
      generation: 1,
      revoked: false,
      signingKey: undefined,
    };
    this.jwtSecret = new Uint8Array(randomBytes(32));
    this.customers = new Map();
    this.webhooks = new Map();
    this.idempotency = new IdempotencyStore();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function customerView(customer: CustomerRecord): Customer {
  return {
    id: customer.id,
    externalId: customer.externalId,
    chainId: customer.chainId,
    status: customer.status,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  };
}

export function webhookView(webhook: WebhookRecord): Webhook {
  return {
    id: webhook.id,
    callbackUrl: webhook.callbackUrl,
    types: [...webhook.types],
    createdAt: iso(webhook.createdAt),
    updatedAt: iso(webhook.updatedAt),
  };
}
