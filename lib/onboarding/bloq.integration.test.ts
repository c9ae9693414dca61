/**
 * The Bloq step of the onboarding against the real sandbox (OffBlocks and Bloq emulators on port 0) through
 * the real clients, on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set): message → link,
 * a wrong signature (ours and Bloq's refusal), a replayed message, an unknown wallet (not_allowed), the
 * events of every Bloq call, and the stake token never in the onboarding JSON, an event or the step row.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import { createSecretBox } from "../crypto/secret-box";
import type { Database } from "../db/client";
import { onboardingEvents, onboardingSteps } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { AppError } from "../errors";
import { createLogger } from "../log";
import { createBloqClient, type BloqClient } from "../providers/bloq";
import { type OffblocksClient } from "../providers/offblocks";
import { staffMetrics } from "../staff/metrics";
import { rollupDifferences } from "../staff/metrics-recount";
import { BLOQ_NOT_ALLOWED_MESSAGE } from "./steps/bloq";
import { createOnboardingService, type OnboardingService } from "./service";
import type { OnboardingView } from "./types";
import { appErrorOf } from "../../testing/app-error-of";
import { sandboxBloqConfig } from "../../testing/sandbox-bloq";
import { newTestSigningKey, sandboxOffblocksClient, sandboxOffblocksConfig } from "../../testing/sandbox-offblocks";

const silent = createLogger({ level: "silent" });
const DATA_KEY = "bloq-onboarding-data-key-0123456789abcdef";
const signingKey = newTestSigningKey();
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

const onboardingIn = (error: AppError) => error.details?.onboarding as OnboardingView;

describe.each(testDatabaseKinds())("the Bloq step against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;
  let offblocks: OffblocksClient;
  let bloq: BloqClient;
  let onboarding: OnboardingService;
  /** every stake token Bloq handed out in this file */
  const tokens: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bloq-it-"));
    const config = {
      ...sandboxOffblocksConfig(sandbox, { dataDir, dataKey: DATA_KEY }),
      bloq: sandboxBloqConfig(sandbox),
    };
    const secretBox = createSecretBox(() => DATA_KEY);
    offblocks = sandboxOffblocksClient(database.db, sandbox, { dataDir, dataKey: DATA_KEY, signingKey });
    bloq = createBloqClient({ db: database.db, config, logger: silent, secretBox });
    const stake: Pick<BloqClient, "nonce" | "login"> = {
      nonce: (address) => bloq.nonce(address),
      async login(input) {
        const answer = await bloq.login(input);
        tokens.push(answer.token);
        return answer;
      },
    };
    onboarding = createOnboardingService({
      db: database.db,
      offblocks,
      offblocksBaseUrl: sandbox.offblocksUrl,
      bloq: { client: stake, secretBox },
      logger: silent,
      followIntervalMs: 60_000,
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
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

  const events = (onboardingId: string) =>
    database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, onboardingId)).orderBy(asc(onboardingEvents.id));
  const bloqChanges = async (id: string) =>
    (await events(id)).filter((e) => e.type === "status_change" && e.provider === "bloq").map((e) => `${e.data.from}→${e.data.to} (${e.data.cause})`);
  const bloqCalls = async (id: string) =>
    (await events(id))
      .filter((e) => e.type === "provider_call" && e.provider === "bloq")
      .map((e) => `${e.data.operation} ${e.data.outcome}${e.data.code ? ` ${e.data.code}` : ""}`);

  async function started(wallet = newWallet()) {
    const { onboarding: view } = await onboarding.start({ address: wallet.address, chainId: 300 });
    return { wallet, id: view.id, view };
  }

  it("starts not_started; message → message_issued; signature → linked with tokenExpiresAt; events; no token anywhere", async () => {
    const { wallet, id, view } = await started();
    expect(view.steps.bloq).toEqual({ status: "not_started" });
    const before = Date.now();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    expect(message).toContain(`api.bloq.com wants you to sign in with your Ethereum account:\n${wallet.address}\n`);
    const issuedAt = /Issued At: (.+)$/.exec(message)?.[1] ?? "";
    expect(Math.abs(Date.parse(issuedAt) - before)).toBeLessThan(5_000);
    expect((await onboarding.get(wallet.address)).steps.bloq).toEqual({ status: "message_issued", message });

    const linked = await onboarding.linkBloq(wallet.address, await wallet.signMessage({ message }));
    expect(linked.steps.bloq.status).toBe("linked");
    expect(Object.keys(linked.steps.bloq).sort()).toEqual(["status", "tokenExpiresAt"]);
    const expiresIn = Date.parse(linked.steps.bloq.tokenExpiresAt ?? "") - Date.now();
    expect(expiresIn).toBeGreaterThan(12 * 3600_000 - 10_000);
    expect(expiresIn).toBeLessThanOrEqual(12 * 3600_000);
    expect(await bloqChanges(id)).toEqual(["not_started→message_issued (message_issued)", "message_issued→linked (stake_login)"]);
    expect(await bloqCalls(id)).toEqual(["get_nonce ok", "login ok"]);

    expect(tokens.length).toBeGreaterThan(0);
    const [row] = await database.db
      .select()
      .from(onboardingSteps)
      .where(and(eq(onboardingSteps.onboardingId, id), eq(onboardingSteps.provider, "bloq")));
    const everything = [
      JSON.stringify(linked),
      JSON.stringify(await onboarding.get(wallet.address)),
      JSON.stringify(await events(id)),
      JSON.stringify(row?.details),
    ];
    for (const token of tokens) for (const text of everything) expect(text).not.toContain(token);
    expect(Buffer.from(row?.secret ?? []).toString("latin1")).not.toContain(tokens.at(-1));
    expect(JSON.stringify(await events(id))).not.toMatch(/0x[0-9a-f]{130}/i); // no signature
    // a repeated submission answers the linked onboarding; a new message is refused while linked
    expect((await onboarding.linkBloq(wallet.address, await wallet.signMessage({ message }))).steps.bloq.status).toBe("linked");
    expect((await appErrorOf(onboarding.buildBloqMessage(wallet.address))).code).toBe("bloq_already_linked");
  });

  it("a signature by another wallet is refused here (400 signature_invalid), never sent; the same message still works", async () => {
    const { wallet, id } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    const error = await appErrorOf(onboarding.linkBloq(wallet.address, await newWallet().signMessage({ message })));
    expect(error.code).toBe("signature_invalid");
    expect(error.status).toBe(400);
    expect(onboardingIn(error).steps.bloq).toEqual({ status: "message_issued", message });
    expect(await bloqCalls(id)).toEqual(["get_nonce ok"]);
    expect((await onboarding.linkBloq(wallet.address, await wallet.signMessage({ message }))).steps.bloq.status).toBe("linked");
  });

  it("Bloq refusing the signature (the nonce was renewed meanwhile) answers 400 signature_invalid with a fresh message", async () => {
    const { wallet, id } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    await bloq.nonce(wallet.address); // Bloq now holds a newer nonce than the one in our text
    const error = await appErrorOf(onboarding.linkBloq(wallet.address, await wallet.signMessage({ message })));
    expect(error.code).toBe("signature_invalid");
    const fresh = onboardingIn(error).steps.bloq;
    expect(fresh.status).toBe("message_issued");
    expect(fresh.message).toBeDefined();
    expect(fresh.message).not.toBe(message);
    expect(await bloqCalls(id)).toEqual(["get_nonce ok", "login error bloq_signature_invalid", "get_nonce ok"]);
    const linked = await onboarding.linkBloq(wallet.address, await wallet.signMessage({ message: fresh.message ?? "" }));
    expect(linked.steps.bloq.status).toBe("linked");
  });

  it("a replaced message's signature is refused here (400 signature_invalid): only the latest text is awaited", async () => {
    const { wallet, id } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    const signature = await wallet.signMessage({ message });
    await onboarding.buildBloqMessage(wallet.address);
    const error = await appErrorOf(onboarding.linkBloq(wallet.address, signature));
    expect(error.code).toBe("signature_invalid");
    expect(await bloqCalls(id)).toEqual(["get_nonce ok", "get_nonce ok"]);
  });

  it("a nonce Bloq no longer holds (expired after 10 min on its clock): 410 bloq_message_expired with a fresh message", async () => {
    const { wallet, id } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    await control("POST", "/clock", { advanceSeconds: 601 });
    try {
      const error = await appErrorOf(onboarding.linkBloq(wallet.address, await wallet.signMessage({ message })));
      expect(error.code).toBe("bloq_message_expired");
      expect(error.status).toBe(410);
      const fresh = onboardingIn(error).steps.bloq;
      expect(fresh.status).toBe("message_issued");
      expect(fresh.message).not.toBe(message);
      expect(await bloqCalls(id)).toEqual(["get_nonce ok", "login error bloq_nonce_invalid", "get_nonce ok"]);
      // the spent text cannot be submitted twice
      const again = await appErrorOf(onboarding.linkBloq(wallet.address, await wallet.signMessage({ message })));
      expect(again.code).toBe("signature_invalid");
    } finally {
      await control("POST", "/clock", { advanceSeconds: -601 });
    }
  });

  it("a message submitted twice at once: one login reaches Bloq, the other answers bloq_message_required or linked", async () => {
    const { wallet, id } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    const signature = await wallet.signMessage({ message });
    const results = await Promise.allSettled([onboarding.linkBloq(wallet.address, signature), onboarding.linkBloq(wallet.address, signature)]);
    const linked = results.filter((r) => r.status === "fulfilled");
    expect(linked.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as AppError).code).toBe("bloq_message_required");
    expect((await bloqCalls(id)).filter((c) => c.startsWith("login"))).toEqual(["login ok"]);
  });

  it("a wallet Bloq does not know: 404 bloq_address_not_allowed in plain words, step not_allowed; allowed later, it links", async () => {
    const { wallet, id } = await started();
    await control("POST", "/bloq/users", { address: wallet.address, known: false });
    const error = await appErrorOf(onboarding.buildBloqMessage(wallet.address));
    expect(error.code).toBe("bloq_address_not_allowed");
    expect(error.status).toBe(404);
    expect(error.message).toBe(BLOQ_NOT_ALLOWED_MESSAGE);
    expect(error.message).toMatch(/not on Bloq's list of staking customers/);
    expect(onboardingIn(error).steps.bloq).toEqual({ status: "not_allowed" });
    expect((await onboarding.get(wallet.address)).steps.bloq).toEqual({ status: "not_allowed" });
    expect(await bloqCalls(id)).toEqual(["get_nonce error bloq_user_unknown"]);
    expect(await bloqChanges(id)).toEqual(["not_started→not_allowed (address_unknown_at_bloq)"]);

    await control("POST", "/bloq/users", { address: wallet.address, known: true });
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    expect((await onboarding.linkBloq(wallet.address, await wallet.signMessage({ message }))).steps.bloq.status).toBe("linked");
  });

  it("a wallet dropped by Bloq between message and login: not_allowed", async () => {
    const { wallet } = await started();
    const { message } = await onboarding.buildBloqMessage(wallet.address);
    await control("POST", "/bloq/users", { address: wallet.address, known: false });
    const error = await appErrorOf(onboarding.linkBloq(wallet.address, await wallet.signMessage({ message })));
    expect(error.code).toBe("bloq_address_not_allowed");
    expect(onboardingIn(error).steps.bloq.status).toBe("not_allowed");
  });

  it("Bloq down: 502 bloq_unavailable, recorded; the step keeps its message", async () => {
    const { wallet, id } = await started();
    await control("POST", "/faults", { provider: "bloq", status: 503, rate: 1 });
    const error = await appErrorOf(onboarding.buildBloqMessage(wallet.address));
    expect(error.code).toBe("bloq_unavailable");
    expect(error.status).toBe(502);
    expect(await bloqCalls(id)).toEqual(["get_nonce error bloq_unavailable"]);
    expect((await onboarding.get(wallet.address)).steps.bloq).toEqual({ status: "not_started" });
  });

  it("two first messages at once both answer; the latest text is the one awaited", async () => {
    const { wallet } = await started();
    const [a, b] = await Promise.all([onboarding.buildBloqMessage(wallet.address), onboarding.buildBloqMessage(wallet.address)]);
    expect(a.message).toBeTruthy();
    expect(b.message).toBeTruthy();
    const { steps } = await onboarding.get(wallet.address);
    expect(steps.bloq.status).toBe("message_issued");
    expect([a.message, b.message]).toContain(steps.bloq.message);
  });

  it("without an onboarding: 404 onboarding_not_found", async () => {
    expect((await appErrorOf(onboarding.buildBloqMessage(newWallet().address))).code).toBe("onboarding_not_found");
  });

  it("leaves the staff metrics rollup equal to a live recount after all of the above (Bloq messages, links and refusals)", async () => {
    expect(await rollupDifferences(database.db)).toEqual([]);
    const metrics = await staffMetrics(database.db, {});
    expect(metrics.funnel.started).toBeGreaterThan(0);
    expect(metrics.series.reduce((sum, day) => sum + day.started, 0)).toBe(metrics.funnel.started);
  });
});
