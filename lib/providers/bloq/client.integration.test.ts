/**
 * The Bloq client against the real Bloq emulator (sandbox/server.ts on port 0), on a real database
 * (PGlite, and Postgres when TEST_DATABASE_URL is set): the client token life cycle (client-credentials and
 * refresh grants, refresh before expiry by the sandbox clock, `jwt expired` recovery, one shared refresh for
 * concurrent callers, tokens sealed in provider_tokens and reused after a restart, a deleted client
 * key), Stake (nonce, login, replayed nonce, wrong signedAt, unknown user) and the account's client keys.
 * A recording fetch only observes which grant each token request used.
 */
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../../sandbox/server";
import { createSecretBox } from "../../crypto/secret-box";
import type { Database } from "../../db/client";
import { providerTokens } from "../../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../../db/test-databases";
import { createLogger } from "../../log";
import { SANDBOX_DEFAULTS } from "../../sandbox-defaults";
import { bloqSignInText, createBloqAccountsClient, createBloqClient, type BloqClient } from ".";
import { appErrorOf } from "../../../testing/app-error-of";
import { sandboxBloqConfig } from "../../../testing/sandbox-bloq";

const silent = createLogger({ level: "silent" });
const DATA_KEY = "bloq-integration-data-key-0123456789abcdef";
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

describe.each(testDatabaseKinds())("the Bloq client against the Bloq emulator, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let offsetSeconds = 0;
  /** the grant of every token request, in order */
  let grants: string[] = [];
  /** every token Bloq handed out in this file (to prove none is stored in clear) */
  const issued: string[] = [];

  const now = () => Date.now() + offsetSeconds * 1000;

  const recordingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const response = await fetch(input, init);
    if (url.endsWith("/auth/token") && typeof init?.body === "string") {
      grants.push((JSON.parse(init.body) as { grantType: string }).grantType);
      const text = await response.clone().text();
      try {
        const body = JSON.parse(text) as { accessToken?: string; refreshToken?: string };
        if (body.accessToken) issued.push(body.accessToken);
        if (body.refreshToken) issued.push(body.refreshToken);
      } catch {
        // an error answer
      }
    }
    return response;
  };

  const defaultKey: { clientId: string; clientSecret: string } = { clientId: SANDBOX_DEFAULTS.bloq.clientId, clientSecret: SANDBOX_DEFAULTS.bloq.clientSecret };
  const bloqConfig = (client = defaultKey) => ({
    dataDir: "/nonexistent",
    dataKey: DATA_KEY,
    sandbox: { enabled: true, start: true, port: 0, url: sandbox.url },
    bloq: sandboxBloqConfig(sandbox, client),
  });

  const newClient = (client?: { clientId: string; clientSecret: string }): BloqClient =>
    createBloqClient({
      db: database.db,
      config: bloqConfig(client),
      logger: silent,
      fetch: recordingFetch,
      secretBox: createSecretBox(() => DATA_KEY),
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
      now,
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
  /** moves the sandbox clock, and ours with it unless `oursToo` is false (Bloq's clock ran ahead) */
  const advance = async (seconds: number, oursToo = true) => {
    await control("POST", "/clock", { advanceSeconds: seconds });
    if (oursToo) offsetSeconds += seconds;
    else sandboxOnly += seconds;
  };
  let sandboxOnly = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
  });
  beforeEach(async () => {
    await control("POST", "/reset");
    offsetSeconds = 0;
    sandboxOnly = 0;
    grants = [];
    await database.db.delete(providerTokens).where(eq(providerTokens.provider, "bloq"));
  });

  it("gets access + refresh tokens with the client credentials once and reuses the access token", async () => {
    const client = newClient();
    expect(await client.connectStatus()).toBe("ok");
    expect(await client.connectStatus()).toBe("ok");
    expect(await client.health()).toBe("ok");
    expect(grants).toEqual(["clientCredentials"]);
  });

  it("50 concurrent callers share exactly one token request", async () => {
    const client = newClient();
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.connectStatus()));
    expect(answers.every((status) => status === "ok")).toBe(true);
    expect(grants).toEqual(["clientCredentials"]);
    // and again once the token is about to run out: one refresh for all
    await advance(3_550);
    await Promise.all(Array.from({ length: 50 }, () => client.tokens.accessToken()));
    expect(grants).toEqual(["clientCredentials", "refreshToken"]);
  });

  it("refreshes with the refresh grant before the access token expires (60 s margin, sandbox clock)", async () => {
    const client = newClient();
    const first = await client.tokens.accessToken();
    await advance(3_000);
    expect(await client.tokens.accessToken()).toBe(first);
    await advance(545); // 55 s before expiry: inside the margin
    const second = await client.tokens.accessToken();
    expect(second).not.toBe(first);
    expect(grants).toEqual(["clientCredentials", "refreshToken"]);
    expect(await client.connectStatus()).toBe("ok");
  });

  it("recovers from `jwt expired` (Bloq's clock ahead of ours) with one refresh", async () => {
    const client = newClient();
    expect(await client.connectStatus()).toBe("ok");
    await advance(3_601, false);
    expect(await client.connectStatus()).toBe("ok");
    expect(grants).toEqual(["clientCredentials", "refreshToken"]);
    expect(await client.health()).toBe("ok");
    await control("POST", "/clock", { advanceSeconds: -sandboxOnly });
  });

  it("keeps the tokens sealed in provider_tokens and reuses them after a restart", async () => {
    expect(await newClient().connectStatus()).toBe("ok");
    const [row] = await database.db.select().from(providerTokens).where(eq(providerTokens.provider, "bloq"));
    expect(row?.scope).toBe(SANDBOX_DEFAULTS.bloq.clientId);
    expect(row?.expiresAt).toBeInstanceOf(Date);
    const stored = Buffer.from(row?.token ?? []).toString("latin1");
    expect(issued.length).toBeGreaterThan(0);
    for (const token of issued) expect(stored).not.toContain(token);
    const restarted = newClient();
    expect(await restarted.connectStatus()).toBe("ok");
    expect(grants).toEqual(["clientCredentials"]);
  });

  it("falls back to the client credentials when the refresh token is refused", async () => {
    const client = newClient();
    expect(await client.connectStatus()).toBe("ok");
    await control("POST", "/reset"); // Bloq forgets every token it issued; the default key stays
    await advance(3_601);
    expect(await client.connectStatus()).toBe("ok");
    expect(grants).toEqual(["clientCredentials", "refreshToken", "clientCredentials"]);
  });

  it("a deleted client key: the access token lasts its hour, then the refresh and the fallback are refused with a clear error", async () => {
    const accounts = createBloqAccountsClient({ config: bloqConfig(), logger: silent });
    const key = await accounts.createClientKey();
    const client = newClient(key);
    expect(await client.connectStatus()).toBe("ok");
    await accounts.deleteClientKey(key.clientId);
    expect(await client.connectStatus()).toBe("ok"); // stateless access token, still valid
    await advance(3_601);
    const error = await appErrorOf(client.connectStatus());
    expect(error.code).toBe("bloq_client_refused");
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/BLOQ_CLIENT_ID/);
    expect(grants).toEqual(["clientCredentials", "refreshToken", "clientCredentials"]);
    expect(await client.health()).toBe("down");
  });

  describe("Stake", () => {
    async function signed(client: BloqClient, wallet: PrivateKeyAccount, signedAt = new Date(now()).toISOString()) {
      const nonce = await client.nonce(wallet.address);
      const message = bloqSignInText({ address: wallet.address, nonce, signedAt });
      return { signedAt, signature: await wallet.signMessage({ message }) };
    }

    it("logs a wallet in with the nonce and the same signedAt", async () => {
      const client = newClient();
      const wallet = newWallet();
      const { signature, signedAt } = await signed(client, wallet);
      const { token } = await client.login({ address: wallet.address, signature, signedAt });
      expect(token.split(".")).toHaveLength(3);
    });

    it("refuses a replayed nonce (410 bloq_nonce_invalid)", async () => {
      const client = newClient();
      const wallet = newWallet();
      const { signature, signedAt } = await signed(client, wallet);
      await client.login({ address: wallet.address, signature, signedAt });
      const error = await appErrorOf(client.login({ address: wallet.address, signature, signedAt }));
      expect(error.code).toBe("bloq_nonce_invalid");
      expect(error.status).toBe(410);
    });

    it("refuses a wrong signedAt (400 bloq_signature_invalid), the nonce stays usable", async () => {
      const client = newClient();
      const wallet = newWallet();
      const { signature, signedAt } = await signed(client, wallet);
      const error = await appErrorOf(client.login({ address: wallet.address, signature, signedAt: new Date(now() + 1_000).toISOString() }));
      expect(error.code).toBe("bloq_signature_invalid");
      expect(error.status).toBe(400);
      expect((await client.login({ address: wallet.address, signature, signedAt })).token).toBeTruthy();
    });

    it("an unknown user is 404 bloq_user_unknown at the nonce", async () => {
      const client = newClient();
      const wallet = newWallet();
      await control("POST", "/bloq/users", { address: wallet.address, known: false });
      const error = await appErrorOf(client.nonce(wallet.address));
      expect(error.code).toBe("bloq_user_unknown");
      expect(error.status).toBe(404);
    });
  });

  describe("the account's client keys", () => {
    it("creates, lists (no secret) and deletes a key; an unknown id is 404", async () => {
      const accounts = createBloqAccountsClient({ config: bloqConfig(), logger: silent });
      const key = await accounts.createClientKey();
      expect(key.clientSecret).toMatch(/^[0-9a-f]+$/);
      const listed = await accounts.listClientKeys();
      expect(listed.map((k) => k.id)).toContain(key.clientId);
      expect(JSON.stringify(listed)).not.toContain(key.clientSecret);
      await accounts.deleteClientKey(key.clientId);
      expect((await accounts.listClientKeys()).map((k) => k.id)).not.toContain(key.clientId);
      expect((await appErrorOf(accounts.deleteClientKey(key.clientId))).code).toBe("bloq_client_key_not_found");
    });

    it("a wrong password is 502 bloq_account_refused", async () => {
      const config = bloqConfig();
      const accounts = createBloqAccountsClient({ config: { bloq: { ...config.bloq, password: "wrong" } }, logger: silent });
      expect((await appErrorOf(accounts.listClientKeys())).code).toBe("bloq_account_refused");
    });
  });
});
