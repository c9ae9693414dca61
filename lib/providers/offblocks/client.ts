/**
 * The OffBlocks calls the app makes (customers, the wallet challenge, the sandbox simulator, webhooks).
 * Every mutating call has a stable operation name whose Idempotency-Key is stored before the first try
 * (lib/http/idempotency.ts), so a retry or a restart repeats it under the same key; every answer is
 * parsed with the wire schemas of ./types.ts; provider errors become AppErrors (./errors.ts).
 */
import type { Logger } from "pino";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { withOperationKey } from "../../http/idempotency";
import { isSuccess, type ProviderResponse } from "../../http/provider-fetch";
import { backoffDelay, sleep as defaultSleep, type BackoffOptions } from "../../http/retry";
import { signatureHexToBase64, toChallenge, type Challenge } from "./challenge";
import { OFFBLOCKS_PROVIDER, type OffblocksCredentials, type OffblocksRequest } from "./credentials";
import { offblocksError, parseAnswer, upstreamCode } from "./errors";
import {
  Caip10Schema,
  ChallengeResponseSchema,
  CreatedCustomerSchema,
  CustomerListSchema,
  CustomerSchema,
  OFFBLOCKS_ERROR,
  WebhookListSchema,
  WebhookPutSchema,
  WebhookSchema,
  type Customer,
  type CustomerStatus,
  type Webhook,
  type WebhookPut,
} from "./types";

export interface CustomerWithChallenge {
  customer: Customer;
  /** null when the customer is past the challenge (already verified) */
  challenge: Challenge | null;
}

export interface CustomerFilter {
  /** CAIP-10 account id */
  chainId?: string;
  externalId?: string;
  status?: CustomerStatus;
}

export interface SignChallengeInput {
  customerId: string;
  /** CAIP-10 id of the wallet that signed */
  caip10: string;
  /** the challenge exactly as OffBlocks issued it */
  challengeBase64: string;
  /** the wallet's `0x…` signature (65 bytes) */
  signatureHex: string;
}

export interface OffblocksApi {
  /** Creates the customer for an onboarding (idempotent per onboarding), with its challenge. */
  createCustomer(input: { onboardingId: string; caip10: string }): Promise<CustomerWithChallenge>;
  getCustomer(id: string): Promise<Customer>;
  listCustomers(filter?: CustomerFilter): Promise<Customer[]>;
  /** The customer holding this CAIP-10 account id, if any. */
  findCustomerByCaip10(caip10: string): Promise<Customer | undefined>;
  /** The current challenge (a fresh one once the previous expired or failed). */
  getChallenge(customerId: string): Promise<Challenge>;
  /** Forwards a wallet signature; AppError `signature_invalid` 400 or `challenge_expired` 410 when refused. */
  signChallenge(input: SignChallengeInput): Promise<Customer>;
  /** Sandbox simulator: pass or fail the customer's KYC. */
  simulateVerify(customerId: string): Promise<void>;
  simulateReject(customerId: string): Promise<void>;
  registerWebhook(input: WebhookPut): Promise<Webhook>;
  listWebhooks(): Promise<Webhook[]>;
}

export interface OffblocksApiOptions {
  db: Db;
  auth: OffblocksCredentials;
  logger: Logger;
  /** how often a 409 "same request still in flight" is waited out before giving up (default 4) */
  inFlightRetries?: number;
  /** delays between those waits (default 250 ms doubling, capped at 2 s) */
  inFlightBackoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
}

const segment = (id: string) => encodeURIComponent(id);
const sameAccount = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function createOffblocksApi(options: OffblocksApiOptions): OffblocksApi {
  const { db, auth, logger } = options;
  const inFlightRetries = options.inFlightRetries ?? 4;
  const backoff = options.inFlightBackoff ?? { baseDelayMs: 250, maxDelayMs: 2_000 };
  const wait = options.sleep ?? defaultSleep;

  /** A mutating call under the operation's persisted Idempotency-Key. */
  function mutate(operation: string, request: Omit<OffblocksRequest, "idempotencyKey">): Promise<ProviderResponse> {
    return withOperationKey(
      db,
      { operation, provider: OFFBLOCKS_PROVIDER, requestBody: request.body },
      async (idempotencyKey) => {
        for (let retry = 1; ; retry++) {
          const response = await auth.send({ ...request, idempotencyKey });
          // The same key is still being processed (an earlier attempt timed out on our side): its stored
          // answer will be replayed once it is done, so wait for it rather than fail.
          if (response.status === 409 && upstreamCode(response.body) === OFFBLOCKS_ERROR.idempotencyInFlight && retry <= inFlightRetries) {
            const delayMs = backoffDelay(retry, backoff);
            logger.info({ provider: OFFBLOCKS_PROVIDER, operation, retryInMs: delayMs }, "offblocks still processing this request; waiting");
            await wait(delayMs);
            continue;
          }
          return response;
        }
      },
      (response) => isFinal(response),
    );
  }

  async function get(path: string, what: string, query?: Record<string, string | undefined>): Promise<unknown> {
    const response = await auth.send({ method: "GET", path, query });
    if (!isSuccess(response)) throw offblocksError(response, what);
    return response.body;
  }

  const api: OffblocksApi = {
    async createCustomer({ onboardingId, caip10 }) {
      const chainId = parseCaip10(caip10);
      const body = { chainId, externalId: onboardingId };
      const response = await mutate(`offblocks:create-customer:${onboardingId}`, { method: "POST", path: "/customers", body });
      if (isSuccess(response)) {
        const { challenge, ...customer } = parseAnswer(CreatedCustomerSchema, response.body, "customer");
        return { customer, challenge: toChallenge(challenge) };
      }
      if (response.status === 409 && upstreamCode(response.body) === OFFBLOCKS_ERROR.customerExists) {
        const existing = await api.findCustomerByCaip10(chainId);
        if (!existing) throw new AppError("offblocks_inconsistent", 502, "OffBlocks reports the customer exists but does not list it");
        if (existing.externalId !== onboardingId) {
          logger.warn({ provider: OFFBLOCKS_PROVIDER, customerId: existing.id, onboardingId }, "offblocks customer belongs to another external id");
        }
        const challenge = existing.status === "initiating" ? await api.getChallenge(existing.id) : null;
        return { customer: existing, challenge };
      }
      throw offblocksError(response, "customer");
    },

    async getCustomer(id) {
      return parseAnswer(CustomerSchema, await get(`/customers/${segment(id)}`, "customer"), "customer");
    },

    async listCustomers(filter = {}) {
      const body = await get("/customers", "customer list", { chainId: filter.chainId, externalId: filter.externalId, status: filter.status });
      // Filter here too: the provider may ignore a filter it does not support.
      return parseAnswer(CustomerListSchema, body, "customer list").items.filter(
        (c) =>
          (filter.chainId === undefined || sameAccount(c.chainId, filter.chainId)) &&
          (filter.externalId === undefined || c.externalId === filter.externalId) &&
          (filter.status === undefined || c.status === filter.status),
      );
    },

    async findCustomerByCaip10(caip10) {
      const [customer] = await api.listCustomers({ chainId: parseCaip10(caip10) });
      return customer;
    },

    async getChallenge(customerId) {
      const body = await get(`/customers/${segment(customerId)}/challenge`, "customer");
      const answer = parseAnswer(ChallengeResponseSchema, body, "challenge");
      return toChallenge(answer.challenge, answer.expiresAt);
    },

    async signChallenge({ customerId, caip10, challengeBase64, signatureHex }) {
      const body = { ownerId: parseCaip10(caip10), challenge: challengeBase64, signature: signatureHexToBase64(signatureHex) };
      const response = await mutate(`offblocks:sign-challenge:${customerId}`, {
        method: "POST",
        path: `/customers/${segment(customerId)}/challenge/sign`,
        body,
      });
      if (!isSuccess(response)) throw offblocksError(response, "customer");
      return parseAnswer(CustomerSchema, response.body, "customer");
    },

    async simulateVerify(customerId) {
      await simulate(customerId, "verify");
    },

    async simulateReject(customerId) {
      await simulate(customerId, "reject");
    },

    async registerWebhook(input) {
      const parsedInput = WebhookPutSchema.safeParse(input);
      if (!parsedInput.success) throw new AppError("invalid_request", 400, "A webhook needs an absolute callbackUrl and at least one known type");
      const body = parsedInput.data;
      const response = await mutate(`offblocks:register-webhook:${body.id ?? "default"}`, { method: "PUT", path: "/webhooks", body });
      if (!isSuccess(response)) throw offblocksError(response, "webhook");
      return parseAnswer(WebhookSchema, response.body, "webhook");
    },

    async listWebhooks() {
      return parseAnswer(WebhookListSchema, await get("/webhooks", "webhook list"), "webhook list").items;
    },
  };

  async function simulate(customerId: string, outcome: "verify" | "reject"): Promise<void> {
    const response = await mutate(`offblocks:simulate-${outcome}:${customerId}`, {
      method: "PATCH",
      path: `/simulator/customers/${segment(customerId)}/${outcome}`,
    });
    if (!isSuccess(response)) throw offblocksError(response, "customer");
  }

  return api;
}

/** Whether an answer settles the operation (a retry would not change it). */
function isFinal(response: ProviderResponse): boolean {
  if (response.status >= 500 || response.status === 401 || response.status === 403) return false;
  return !(response.status === 409 && upstreamCode(response.body) === OFFBLOCKS_ERROR.idempotencyInFlight);
}

function parseCaip10(caip10: string): string {
  const parsed = Caip10Schema.safeParse(caip10);
  if (!parsed.success) throw new AppError("invalid_request", 400, "The wallet must be a CAIP-10 account id like eip155:300:0x…");
  return parsed.data;
}
