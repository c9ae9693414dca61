/** /webhooks: registration, and delivery with retries against a real local receiver. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CustomerWebhookPayloadSchema, WebhookListSchema, WebhookSchema, type CustomerWebhookPayload } from "@/lib/providers/offblocks/types";
import type { SandboxHandle } from "../server";
import type { IndependentOffblocksClient } from "./independent-client";
import { control, createCustomer, eventually, signChallenge, startHarness } from "./test-fixtures";

interface Receiver {
  url: string;
  received: CustomerWebhookPayload[];
  close(): Promise<void>;
}

/** A webhook endpoint on port 0 that answers `statuses` in turn (then 200). */
async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const received: CustomerWebhookPayload[] = [];
  const queue = [...statuses];
  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  };
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      received.push(CustomerWebhookPayloadSchema.parse(JSON.parse(text)));
      response.writeHead(queue.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-path`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface DeliveryLog {
  items: Array<{ webhookId: string; eventId: string; callbackUrl: string; attempt: number; status?: number; error?: string; at: string }>;
}

describe("webhooks", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness({ autoAdvanceMs: false, webhookRetry: { baseMs: 10, maxAttempts: 4 } }));
  });
  afterEach(() => sandbox.close());

  it("registers, replaces, lists, reads and deletes", async () => {
    const created = await client.call("PUT", "/webhooks", { body: { callbackUrl: "http://127.0.0.1:9/a", types: ["customer.updated"] } });
    expect(created.status).toBe(200);
    const webhook = WebhookSchema.parse(created.body);
    const replaced = await client.call("PUT", "/webhooks", { body: { id: webhook.id, callbackUrl: "https://example.test/b", types: ["customer.updated"] } });
    expect(WebhookSchema.parse(replaced.body)).toMatchObject({ id: webhook.id, callbackUrl: "https://example.test/b", createdAt: webhook.createdAt });
    const unknown = await client.call("PUT", "/webhooks", { body: { id: randomUUID(), callbackUrl: "https://example.test/c", types: ["customer.updated"] } });
    expect([unknown.status, unknown.errorCode]).toEqual([404, "not_found"]);
    for (const body of [
      { callbackUrl: "not a url", types: ["customer.updated"] },
      { callbackUrl: "ftp://x.test/", types: ["customer.updated"] },
      { callbackUrl: "https://x.test/", types: [] },
      { callbackUrl: "https://x.test/", types: ["card.created"] },
    ]) {
      const answer = await client.call("PUT", "/webhooks", { body });
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }

    expect(WebhookListSchema.parse((await client.call("GET", "/webhooks")).body).items.map((w) => w.id)).toEqual([webhook.id]);
    expect((await client.call("GET", `/webhooks/${webhook.id}`)).status).toBe(200);
    expect((await client.call("DELETE", `/webhooks/${webhook.id}`)).status).toBe(204);
    const gone = await client.call("GET", `/webhooks/${webhook.id}`);
    expect([gone.status, gone.errorCode]).toEqual([404, "not_found"]);
    const deleteAgain = await client.call("DELETE", `/webhooks/${webhook.id}`);
    expect([deleteAgain.status, deleteAgain.errorCode]).toEqual([404, "not_found"]);
  });

  it("delivers customer.updated, retrying a receiver that fails twice, with the same eventId", async () => {
    const receiver = await startReceiver([500, 503]);
    try {
      const hook = await client.call("PUT", "/webhooks", { body: { callbackUrl: receiver.url, types: ["customer.updated"] } });
      const webhookId = WebhookSchema.parse(hook.body).id;
      const customer = await createCustomer(client);
      await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
        body: { ownerId: customer.chainId, challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
      });

      await eventually(async () => (receiver.received.length >= 3 ? true : undefined));
      const [first, second, third] = receiver.received;
      expect(first).toMatchObject({ id: customer.id, status: "screening", webhookType: "customer.updated", chainId: customer.chainId });
      expect(second!.eventId).toBe(first!.eventId);
      expect(third!.eventId).toBe(first!.eventId);

      const log = (await control(sandbox, "GET", "/webhooks/deliveries")).body as DeliveryLog;
      expect(log.items.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 503],
        [3, 200],
      ]);
      expect(log.items.every((d) => d.webhookId === webhookId && d.eventId === first!.eventId && d.callbackUrl === receiver.url)).toBe(true);

      // every status change is an event of its own
      await client.call("PATCH", `/simulator/customers/${customer.id}/verify`);
      await eventually(async () => (receiver.received.length >= 4 ? true : undefined));
      expect(receiver.received[3]).toMatchObject({ status: "active" });
      expect(receiver.received[3]!.eventId).not.toBe(first!.eventId);
    } finally {
      await receiver.close();
    }
  });

  it("gives up after maxAttempts on an unreachable endpoint without harming the server", async () => {
    const receiver = await startReceiver();
    await receiver.close(); // a port nobody listens on any more
    await client.call("PUT", "/webhooks", { body: { callbackUrl: receiver.url, types: ["customer.updated"] } });
    const customer = await createCustomer(client);
    await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: customer.chainId, challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    const log = await eventually(async () => {
      const body = (await control(sandbox, "GET", "/webhooks/deliveries")).body as DeliveryLog;
      return body.items.length >= 4 ? body : undefined;
    });
    expect(log.items.map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
    expect(log.items.every((d) => d.error !== undefined && d.status === undefined)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(((await control(sandbox, "GET", "/webhooks/deliveries")).body as DeliveryLog).items).toHaveLength(4);
    expect((await client.call("GET", "/customers")).status).toBe(200);
  });

  it("stops retrying when the sandbox closes", async () => {
    const receiver = await startReceiver([500, 500, 500, 500]);
    try {
      await client.call("PUT", "/webhooks", { body: { callbackUrl: receiver.url, types: ["customer.updated"] } });
      const customer = await createCustomer(client);
      await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
        body: { ownerId: customer.chainId, challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
      });
      await eventually(async () => (receiver.received.length >= 1 ? true : undefined));
      await sandbox.close();
      // a post already on the wire may still land; after that, no retry may follow (retries are ~10–60 ms apart)
      await new Promise((resolve) => setTimeout(resolve, 30));
      const count = receiver.received.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.received.length).toBe(count);
      expect(count).toBeLessThan(4);
    } finally {
      await receiver.close();
    }
  });
});
