/** /customers: creation with the first challenge, reads, the challenge and its signature, deactivation. */
import { randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import type { Address } from "viem";
import {
  Caip10Schema,
  ChallengeSignSchema,
  CustomerCreateSchema,
  OFFBLOCKS_ERROR,
  OFFBLOCKS_LIFETIMES,
  type ChallengeResponse,
  type CreatedCustomer,
} from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { SandboxHttpError } from "../http/errors";
import { parseJsonBody } from "../http/json-body";
import { challengeNonce, challengeSignatureValid, challengeText, decodeSignature } from "./challenge";
import type { CustomerLifecycle } from "./customer-lifecycle";
import { invalidRequest, invalidState, notFound } from "./errors";
import type { RouteGuards } from "./route-guards";
import { customerView, type CustomerRecord, type IssuedChallenge, type OffblocksState } from "./state";

/** A CAIP-10 EVM account split into its chain reference and address. */
function caip10Parts(caip10: string): { chainId: string; address: Address } {
  const [, chainId = "", address = ""] = caip10.split(":");
  return { chainId, address: address as Address };
}

/** CAIP-10 ids compare with the address case-insensitively. */
function caip10Key(caip10: string): string {
  const { chainId, address } = caip10Parts(caip10);
  return `eip155:${chainId}:${address.toLowerCase()}`;
}

/** The API's own origin as the caller reached it: the challenge's domain and URI. */
function apiOrigin(c: Context<SandboxEnv>): { domain: string; uri: string } {
  const url = new URL(c.req.url);
  const domain = c.req.header("host") ?? url.host;
  return { domain, uri: `${url.protocol}//${domain}` };
}

export function customerRoutes(state: OffblocksState, clock: SandboxClock, lifecycle: CustomerLifecycle, guards: RouteGuards): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const findCustomer = (id: string): CustomerRecord => {
    const customer = state.customers.get(id);
    if (!customer) throw notFound("Customer");
    return customer;
  };

  const issueChallenge = (customer: CustomerRecord, origin: { domain: string; uri: string }): IssuedChallenge => {
    if (customer.challenge) customer.retiredChallenges.add(customer.challenge.base64);
    const issuedAt = Math.floor(clock.now() / 1000) * 1000;
    const { chainId, address } = caip10Parts(customer.chainId);
    const nonce = challengeNonce();
    const text = challengeText({ ...origin, address, chainId, nonce, issuedAt: new Date(issuedAt) });
    const challenge: IssuedChallenge = {
      base64: Buffer.from(text, "utf8").toString("base64"),
      text,
      ...origin,
      nonce,
      issuedAt,
      expiresAt: issuedAt + OFFBLOCKS_LIFETIMES.challengeSeconds * 1000,
    };
    customer.challenge = challenge;
    return challenge;
  };

  const requireInitiating = (customer: CustomerRecord) => {
    if (customer.status !== "initiating") {
      throw invalidState(`The customer is ${customer.status}: its wallet is already verified or it is closed`);
    }
  };

  app.post("/customers", guards.signed, (c) => {
    const body = parseJsonBody(c, CustomerCreateSchema);
    const key = caip10Key(body.chainId);
    for (const existing of state.customers.values()) {
      if (caip10Key(existing.chainId) === key) {
        throw new SandboxHttpError(409, OFFBLOCKS_ERROR.customerExists, "A customer with this chainId already exists");
      }
    }
    const now = clock.now();
    const customer: CustomerRecord = {
      id: randomUUID(),
      externalId: body.externalId,
      chainId: body.chainId,
      status: "initiating",
      createdAt: now,
      updatedAt: now,
      challenge: undefined,
      retiredChallenges: new Set(),
    };
    const challenge = issueChallenge(customer, apiOrigin(c));
    state.customers.set(customer.id, customer);
    const answer: CreatedCustomer = { ...customerView(customer), challenge: challenge.base64 };
    return c.json(answer, 201);
  });

  app.get("/customers", guards.signed, (c) => {
    const chainId = c.req.query("chainId");
    const externalId = c.req.query("externalId");
    if (chainId !== undefined && !Caip10Schema.safeParse(chainId).success) {
      throw invalidRequest("chainId must be a CAIP-10 id like eip155:300:0xAbC…");
    }
    const items = [...state.customers.values()]
      .filter((customer) => chainId === undefined || caip10Key(customer.chainId) === caip10Key(chainId))
      .filter((customer) => externalId === undefined || customer.externalId === externalId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map(customerView);
    return c.json({ items }, 200);
  });

  app.get("/customers/:id", guards.signed, (c) => c.json(customerView(findCustomer(c.req.param("id"))), 200));

  app.get("/customers/:id/challenge", guards.signed, (c) => {
    const customer = findCustomer(c.req.param("id"));
    requireInitiating(customer);
    let challenge = customer.challenge;
    if (!challenge || challenge.expiresAt <= clock.now()) challenge = issueChallenge(customer, apiOrigin(c));
    const answer: ChallengeResponse = { challenge: challenge.base64, expiresAt: new Date(challenge.expiresAt).toISOString() };
    return c.json(answer, 200);
  });

  app.post("/customers/:id/challenge/sign", guards.signed, async (c) => {
    const body = parseJsonBody(c, ChallengeSignSchema);
    const customer = findCustomer(c.req.param("id"));
    requireInitiating(customer);
    if (caip10Key(body.ownerId) !== caip10Key(customer.chainId)) {
      throw invalidRequest("ownerId is not the customer's CAIP-10 account");
    }
    const current = customer.challenge;
    if (!current || body.challenge !== current.base64) {
      if (customer.retiredChallenges.has(body.challenge)) {
        throw new SandboxHttpError(410, OFFBLOCKS_ERROR.challengeExpired, "This challenge was replaced; GET /customers/{id}/challenge for the current one");
      }
      throw invalidRequest("challenge is not the customer's current challenge");
    }
    if (current.expiresAt <= clock.now()) {
      throw new SandboxHttpError(410, OFFBLOCKS_ERROR.challengeExpired, "The challenge has expired; GET /customers/{id}/challenge for a new one");
    }
    const signature = decodeSignature(body.signature);
    if (!signature) throw invalidRequest("signature must be base64 of the 65 raw signature bytes");
    const { chainId, address } = caip10Parts(customer.chainId);
    const valid = await challengeSignatureValid({
      text: current.text,
      domain: current.domain,
      uri: current.uri,
      nonce: current.nonce,
      address,
      chainId,
      signature,
      now: clock.nowDate(),
    });
    if (!valid) {
      issueChallenge(customer, apiOrigin(c));
      throw new SandboxHttpError(
        400,
        OFFBLOCKS_ERROR.signatureInvalid,
        "The signature does not verify for this challenge; a new challenge was issued (GET /customers/{id}/challenge)",
      );
    }
    requireInitiating(customer); // a concurrent request may have verified it meanwhile
    lifecycle.transition(customer, "screening");
    return c.json(customerView(customer), 200);
  });

  app.patch("/customers/:id/deactivate", guards.signed, (c) => {
    const customer = findCustomer(c.req.param("id"));
    if (customer.status !== "active") throw invalidState(`Only an active customer can be deactivated (it is ${customer.status})`);
    lifecycle.transition(customer, "inactive");
    return c.json(customerView(customer), 200);
  });

  return app;
}
