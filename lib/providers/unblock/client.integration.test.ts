/**
 * The Unblock client against the real Unblock emulator (sandbox/server.ts on port 0): both ways to a
 * session, the single-use nonce, the one-session rule, the 4 h expiry by the sandbox clock, validation and
 * key errors, and which calls are retried.
 */
import { randomUUID } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../../sandbox/server";
import { createLogger } from "../../log";
import { SANDBOX_DEFAULTS } from "../../sandbox-defaults";
import { createUnblockClient, type UnblockClient } from ".";
import { appErrorOf } from "../../../testing/app-error-of";

const silent = createLogger({ level: "silent" });
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());
const email = () => `user-${randomUUID().slice(0, 8)}@example.com`;

describe("the Unblock client against the Unblock emulator", () => {
  let sandbox: SandboxHandle;
  let client: UnblockClient;
  let offsetSeconds = 0;
  let mark = 0;

  const clientWith = (apiKey: string, maxRetries = 2) =>
    createUnblockClient({
      config: { unblock: { baseUrl: sandbox.unblockUrl, apiKey, chainId: 80002, timeoutMs: 2_000, maxRetries } },
      logger: silent,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    });

  async function control(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.url}/_sandbox${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`sandbox control ${route}: ${response.status} ${await response.text()}`);
    return response.json().catch(() => null);
  }
  const advanceClock = async (seconds: number) => {
    await control("POST", "/clock", { advanceSeconds: seconds });
    offsetSeconds += seconds;
  };
  /** The sandbox's time: messages must be issued by its clock. */
  const sandboxNow = () => new Date(Date.now() + offsetSeconds * 1000);

  async function codeFor(to: string): Promise<string> {
    const mailbox = (await control("GET", `/mailbox?email=${encodeURIComponent(to)}`)) as { items: { code: string }[] };
    const last = mailbox.items.at(-1);
    if (!last) throw new Error(`no email to ${to}`);
    return last.code;
  }

  async function newUser(wallet = newWallet()) {
    const address = email();
    const created = await client.createUser({ firstName: "Ada", lastName: "Lovelace", email: address, country: "GB", signInAddress: wallet.address });
    return { wallet, email: address, userUuid: created.userId };
  }

  async function siweLogin(wallet: PrivateKeyAccount) {
    const { message } = client.siweMessage(wallet.address, sandboxNow());
    return { message, session: await client.loginWithSiwe({ message, signature: await wallet.signMessage({ message }) }) };
  }

  const served = () => sandbox.requests.slice(mark).filter((r) => r.path.startsWith("/unblock"));

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    client = clientWith(SANDBOX_DEFAULTS.unblock.apiKey);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
    if (offsetSeconds !== 0) await advanceClock(-offsetSeconds);
    mark = sandbox.requests.length;
  });

  it("builds the SIWE text per Unblock's rules", () => {
    const wallet = newWallet();
    const issuedAt = new Date("2026-01-02T03:04:05.678Z");
    const built = client.siweMessage(wallet.address.toLowerCase(), issuedAt);
    const host = new URL(sandbox.unblockUrl).host;
    expect(built.message).toBe(
      [
        `${host} wants you to sign in with your Ethereum account:`,
        wallet.address,
        "",
        "Sign in with Ethereum",
        "",
        `URI: ${sandbox.unblockUrl}/auth/login`,
        "Version: 1",
        "Chain ID: 80002",
        `Nonce: ${built.nonce}`,
        "Issued At: 2026-01-02T03:04:05.000Z",
        "Expiration Time: 2026-01-02T07:04:05.000Z",
      ].join("\n"),
    );
    expect(built.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(client.siweMessage(wallet.address).nonce).not.toBe(built.nonce);
  });

  it("creates a user and reads it back", async () => {
    const { userUuid, email: address, wallet } = await newUser();
    const user = await client.getUser(userUuid);
    expect(user).toMatchObject({ userId: userUuid, firstName: "Ada", lastName: "Lovelace", email: address, country: "GB" });
    expect(user.signInAddress?.toLowerCase()).toBe(wallet.address.toLowerCase());
  });

  it("SIWE login → a session that opens the EUR and GBP accounts", async () => {
    const { wallet, userUuid } = await newUser();
    const { session } = await siweLogin(wallet);
    expect(session.userId).toBe(userUuid);
    const eur = await client.openBankAccount(session.sessionId, "EUR");
    expect(eur).toMatchObject({ currency: "EUR", accountHolder: "Ada Lovelace" });
    if (eur.currency === "EUR") expect(eur.iban).toMatch(/^[A-Z]{2}\d{2}[A-Z0-9]+$/);
    const gbp = await client.openBankAccount(session.sessionId, "GBP");
    expect(gbp).toMatchObject({ currency: "GBP" });
    if (gbp.currency === "GBP") expect(gbp.sortCode).toMatch(/^\d{6}$/);
  });

  it("refuses a replayed message (the nonce is single use)", async () => {
    const { wallet } = await newUser();
    const { message } = client.siweMessage(wallet.address, sandboxNow());
    const signature = await wallet.signMessage({ message });
    await client.loginWithSiwe({ message, signature });
    const replay = await appErrorOf(client.loginWithSiwe({ message, signature }));
    expect(replay).toMatchObject({ code: "unblock_nonce_used", status: 409, details: { upstreamCode: "nonce_already_used" } });
  });

  it("refuses a signature by another wallet as unblock_signature_invalid", async () => {
    const { wallet } = await newUser();
    const { message } = client.siweMessage(wallet.address, sandboxNow());
    const error = await appErrorOf(client.loginWithSiwe({ message, signature: await newWallet().signMessage({ message }) }));
    expect(error).toMatchObject({ code: "unblock_signature_invalid", status: 400 });
  });

  it("email code login: the code from the mailbox gives a session; a wrong code is otp_invalid", async () => {
    const { userUuid, email: address } = await newUser();
    await client.requestOtp(userUuid);
    const code = await codeFor(address);
    expect(code).toMatch(/^\d{4,6}$/);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await appErrorOf(client.verifyOtp(userUuid, wrong.slice(0, code.length)))).toMatchObject({ code: "otp_invalid", status: 400 });
    const session = await client.verifyOtp(userUuid, code);
    expect(session.userId).toBe(userUuid);
    await expect(client.openBankAccount(session.sessionId, "EUR")).resolves.toMatchObject({ currency: "EUR" });
  });

  it("a second login ends the first session (403 → unblock_session_expired, reason superseded)", async () => {
    const { wallet, userUuid, email: address } = await newUser();
    const first = (await siweLogin(wallet)).session;
    await client.requestOtp(userUuid);
    const second = await client.verifyOtp(userUuid, await codeFor(address));
    const error = await appErrorOf(client.openBankAccount(first.sessionId, "EUR"));
    expect(error).toMatchObject({ code: "unblock_session_expired", status: 401, details: { reason: "superseded" } });
    expect(JSON.stringify(error)).not.toContain(first.sessionId);
    expect(error.message).not.toContain(first.sessionId);
    await expect(client.openBankAccount(second.sessionId, "EUR")).resolves.toMatchObject({ currency: "EUR" });
  });

  it("a session lasts 4 h by the sandbox clock (401 → unblock_session_expired, reason expired)", async () => {
    const { wallet } = await newUser();
    const { session } = await siweLogin(wallet);
    await advanceClock(4 * 3600 - 60);
    await expect(client.openBankAccount(session.sessionId, "EUR")).resolves.toMatchObject({ currency: "EUR" });
    await advanceClock(61);
    const error = await appErrorOf(client.openBankAccount(session.sessionId, "EUR"));
    expect(error).toMatchObject({ code: "unblock_session_expired", status: 401, details: { reason: "expired" } });
    // signing in again by the (moved) clock works
    const again = await siweLogin(wallet);
    await expect(client.openBankAccount(again.session.sessionId, "GBP")).resolves.toMatchObject({ currency: "GBP" });
  });

  it("names the fields Unblock refuses, in our names, before and at Unblock", async () => {
    const local = await appErrorOf(client.createUser({ firstName: "A", lastName: "Lövelace", email: "nope", country: "gb" }));
    expect(local).toMatchObject({ code: "invalid_request", status: 400 });
    expect(Object.keys(local.details?.fields as object).sort()).toEqual(["country", "email", "firstName", "lastName"]);
    expect(served()).toEqual([]); // refused before it was sent

    const remote = await appErrorOf(client.createUser({ firstName: "Ada", lastName: "Lovelace", email: email(), country: "XX" }));
    expect(remote).toMatchObject({ code: "invalid_request", status: 400, details: { fields: { country: expect.any(String) } } });

    const { email: taken } = await newUser();
    const duplicate = await appErrorOf(client.createUser({ firstName: "Ada", lastName: "Lovelace", email: taken.toUpperCase(), country: "GB" }));
    expect(duplicate).toMatchObject({ code: "email_taken", status: 409, details: { fields: { email: expect.any(String) } } });
  });

  it("a wrong API key is a clear 502 unblock_unauthorized", async () => {
    const wrong = clientWith("not-the-key");
    const error = await appErrorOf(wrong.createUser({ firstName: "Ada", lastName: "Lovelace", email: email(), country: "GB" }));
    expect(error).toMatchObject({ code: "unblock_unauthorized", status: 502 });
    expect(error.message).toContain("UNBLOCK_API_KEY");
    expect(error.message).not.toContain("not-the-key");
    expect(await wrong.health()).toBe("down");
    expect(await client.health()).toBe("ok");
  });

  it("retries GET /user on 5xx, but sends every POST once", async () => {
    const { userUuid } = await newUser();
    await control("POST", "/faults", { provider: "unblock", path: "/user", method: "GET", status: 503, rate: 1, times: 1 });
    mark = sandbox.requests.length;
    await expect(client.getUser(userUuid)).resolves.toMatchObject({ userId: userUuid });
    expect(served().map((r) => `${r.method} ${r.status}`)).toEqual(["GET 503", "GET 200"]);

    await control("POST", "/faults", { provider: "unblock", path: "/auth/login", status: 503, rate: 1, times: 1 });
    mark = sandbox.requests.length;
    const error = await appErrorOf(client.requestOtp(userUuid));
    expect(error).toMatchObject({ code: "unblock_unavailable", status: 502 });
    expect(served().map((r) => `${r.method} ${r.status}`)).toEqual(["POST 503"]);
  });
});
