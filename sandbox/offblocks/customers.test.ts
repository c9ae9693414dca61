/** /customers and /simulator: creation, reads, the state machine. */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CustomerListSchema, CustomerSchema } from "@/lib/providers/offblocks/types";
import type { SandboxHandle } from "../server";
import type { IndependentOffblocksClient } from "./independent-client";
import { caip10, createCustomer, OTHER_WALLET, signChallenge, startHarness, WALLET, type CreatedCustomerAnswer } from "./test-fixtures";

describe("customers", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness({ autoAdvanceMs: false }));
  });
  afterEach(() => sandbox.close());

  const verifyWallet = async (customer: CreatedCustomerAnswer) => {
    const answer = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: customer.chainId, challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    expect(answer.status).toBe(200);
  };
  const status = async (id: string) => CustomerSchema.parse((await client.call("GET", `/customers/${id}`)).body).status;

  it("answers 409 customer_exists for the same CAIP-10 account, whatever the address case", async () => {
    await createCustomer(client);
    for (const chainId of [caip10(WALLET), caip10(WALLET).toLowerCase(), `eip155:300:0x${WALLET.address.slice(2).toUpperCase()}`]) {
      const answer = await client.call("POST", "/customers", { body: { chainId, externalId: "again" } });
      expect([answer.status, answer.errorCode]).toEqual([409, "customer_exists"]);
    }
    // another chain is another account
    expect((await client.call("POST", "/customers", { body: { chainId: caip10(WALLET, 1), externalId: "l1" } })).status).toBe(201);
  });

  it("refuses bodies that are not {chainId: CAIP-10, externalId}", async () => {
    for (const body of [
      {},
      { chainId: WALLET.address, externalId: "x" },
      { chainId: "eip155:300:0x123", externalId: "x" },
      { chainId: "solana:mainnet:abc", externalId: "x" },
      { chainId: caip10(WALLET), externalId: "" },
      { chainId: caip10(WALLET), externalId: 7 },
      { chainId: caip10(WALLET), externalId: "x".repeat(256) },
    ]) {
      const answer = await client.call("POST", "/customers", { body });
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }
  });

  it("answers 404 not_found for unknown and non-uuid ids", async () => {
    for (const path of [`/customers/${randomUUID()}`, "/customers/not-a-uuid", `/customers/${randomUUID()}/challenge`]) {
      const answer = await client.call("GET", path);
      expect([answer.status, answer.errorCode]).toEqual([404, "not_found"]);
    }
    const sign = await client.call("POST", `/customers/${randomUUID()}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: "abc", signature: "abc" },
    });
    expect([sign.status, sign.errorCode]).toEqual([404, "not_found"]);
  });

  it("lists with filters and reads one without its challenge", async () => {
    const first = await createCustomer(client, WALLET, "user-1");
    const second = await createCustomer(client, OTHER_WALLET, "user-2");
    const all = CustomerListSchema.parse((await client.call("GET", "/customers")).body).items;
    expect(all.map((c) => c.id)).toEqual([first.id, second.id]);
    const filtered = await client.call("GET", `/customers?chainId=${encodeURIComponent(caip10(OTHER_WALLET))}&externalId=user-2`);
    expect(CustomerListSchema.parse(filtered.body).items.map((c) => c.id)).toEqual([second.id]);
    const mismatch = await client.call("GET", `/customers?chainId=${encodeURIComponent(caip10(OTHER_WALLET))}&externalId=user-1`);
    expect(CustomerListSchema.parse(mismatch.body).items).toEqual([]);
    const invalid = await client.call("GET", "/customers?chainId=nope");
    expect([invalid.status, invalid.errorCode]).toEqual([400, "invalid_request"]);
    const one = await client.call<Record<string, unknown>>("GET", `/customers/${first.id}`);
    expect(CustomerSchema.strict().parse(one.body).id).toBe(first.id);
    expect(one.body).not.toHaveProperty("challenge");
  });

  it("serves the same challenge until it expires", async () => {
    const customer = await createCustomer(client);
    const a = await client.call<{ challenge: string }>("GET", `/customers/${customer.id}/challenge`);
    const b = await client.call<{ challenge: string }>("GET", `/customers/${customer.id}/challenge`);
    expect(a.body.challenge).toBe(customer.challenge);
    expect(b.body.challenge).toBe(customer.challenge);
  });

  it("refuses a challenge that was never issued", async () => {
    const customer = await createCustomer(client);
    const other = await createCustomer(client, OTHER_WALLET, "u2");
    const answer = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: customer.chainId, challenge: other.challenge, signature: await signChallenge(other.challenge) },
    });
    expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
  });

  it("moves initiating → screening → (simulator) active → inactive, and refuses what the state forbids", async () => {
    const customer = await createCustomer(client);
    const early = await client.call("PATCH", `/simulator/customers/${customer.id}/verify`);
    expect([early.status, early.errorCode]).toEqual([409, "invalid_state"]);
    const earlyDeactivate = await client.call("PATCH", `/customers/${customer.id}/deactivate`);
    expect([earlyDeactivate.status, earlyDeactivate.errorCode]).toEqual([409, "invalid_state"]);

    await verifyWallet(customer);
    expect(await status(customer.id)).toBe("screening");
    const challenge = await client.call("GET", `/customers/${customer.id}/challenge`);
    expect([challenge.status, challenge.errorCode]).toEqual([409, "invalid_state"]);
    const resign = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: customer.chainId, challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    expect([resign.status, resign.errorCode]).toEqual([409, "invalid_state"]);

    const verified = await client.call("PATCH", `/simulator/customers/${customer.id}/verify`);
    expect(verified.status).toBe(202);
    expect(await status(customer.id)).toBe("active");
    const again = await client.call("PATCH", `/simulator/customers/${customer.id}/reject`);
    expect([again.status, again.errorCode]).toEqual([409, "invalid_state"]);

    const deactivated = await client.call("PATCH", `/customers/${customer.id}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(CustomerSchema.parse(deactivated.body).status).toBe("inactive");
    const twice = await client.call("PATCH", `/customers/${customer.id}/deactivate`);
    expect([twice.status, twice.errorCode]).toEqual([409, "invalid_state"]);
  });

  it("rejects for good from screening", async () => {
    const customer = await createCustomer(client);
    await verifyWallet(customer);
    expect((await client.call("PATCH", `/simulator/customers/${customer.id}/reject`)).status).toBe(202);
    expect(await status(customer.id)).toBe("rejected");
    const verify = await client.call("PATCH", `/simulator/customers/${customer.id}/verify`);
    expect([verify.status, verify.errorCode]).toEqual([409, "invalid_state"]);
  });

  it("advances by itself when autoAdvanceMs is set, and stays put when it is false", async () => {
    const customer = await createCustomer(client);
    await verifyWallet(customer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await status(customer.id)).toBe("screening");
  });
});
