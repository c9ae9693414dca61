/** Bloq Stake: nonce, the exact sign-in text, single-use nonce, unknown users (the sandbox control), expiry. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getAddress } from "viem";
import { bloqSignInText } from "@/lib/providers/bloq/sign-in-text";
import { BLOQ_LIFETIMES, StakeNonceSchema, StakeTokenSchema } from "@/lib/providers/bloq/types";
import type { SandboxHandle } from "../server";
import { signInText, type IndependentBloqClient } from "./independent-client";
import { STAKE_NONCE_SECONDS } from "./stake-routes";
import { advanceClock, control, lifetimeSeconds, markUser, OTHER_WALLET, startHarness, WALLET } from "./test-fixtures";

describe("bloq stake", () => {
  let sandbox: SandboxHandle;
  let client: IndependentBloqClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("the doc's text (typed out in the independent client) is exactly bloqSignInText", () => {
    const args = { address: WALLET.address, nonce: "abc123", signedAt: "2026-01-01T00:00:00.000Z" };
    expect(signInText(args.address, args.nonce, args.signedAt)).toBe(bloqSignInText(args));
  });

  it("logs in: nonce, the exact text signed with personal_sign → a 12 h token", async () => {
    const { login, nonce } = await client.stakeLogin(WALLET);
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(login.status).toBe(200);
    const { token } = StakeTokenSchema.parse(login.body);
    expect(lifetimeSeconds(token)).toBe(BLOQ_LIFETIMES.stakeTokenSeconds);
  });

  it("takes the address lowercase or EIP-55, in the path and in the login", async () => {
    const lower = WALLET.address.toLowerCase();
    expect((await client.stakeLogin(WALLET, { address: lower })).login.status).toBe(200);
    expect((await client.stakeLogin(WALLET, { address: getAddress(lower) })).login.status).toBe(200);
    // nonce asked lowercase, login EIP-55: the same user
    const nonce = StakeNonceSchema.parse((await client.nonce(lower)).body).nonce;
    const signedAt = new Date().toISOString();
    const signature = await WALLET.signMessage({ message: signInText(WALLET.address, nonce, signedAt) });
    expect((await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt })).status).toBe(200);
  });

  it("refuses other address forms with 400", async () => {
    const upper = `0x${WALLET.address.slice(2).toUpperCase()}`;
    const badChecksum = WALLET.address.replace(/[a-f]/, (ch) => ch.toUpperCase());
    for (const address of [upper, badChecksum, "0x1234", "nothex", WALLET.address.slice(2), `${WALLET.address}00`]) {
      const nonce = await client.nonce(address);
      expect([nonce.status, nonce.errorCode], address).toEqual([400, "invalid_request"]);
    }
    const login = await client.stakeAuth({ address: badChecksum, service: "stake", signature: "0x00", signedAt: "x" });
    expect([login.status, login.errorCode]).toEqual([400, "invalid_request"]);
  });

  it("a nonce is single use: a replayed login is refused (401), a replay after a newer nonce is 403", async () => {
    const first = await client.stakeLogin(WALLET);
    expect(first.login.status).toBe(200);
    const body = { address: WALLET.address, service: "stake", signature: first.signature, signedAt: first.signedAt };
    const replay = await client.stakeAuth(body);
    expect([replay.status, replay.errorCode]).toEqual([401, "nonce_invalid"]);
    expect((await client.nonce(WALLET.address)).status).toBe(200);
    const replayAfterNewNonce = await client.stakeAuth(body);
    expect([replayAfterNewNonce.status, replayAfterNewNonce.errorCode]).toEqual([403, "invalid_signature"]);
  });

  it("a newer nonce replaces the older one", async () => {
    const older = StakeNonceSchema.parse((await client.nonce(WALLET.address)).body).nonce;
    await client.nonce(WALLET.address);
    const signedAt = new Date().toISOString();
    const signature = await WALLET.signMessage({ message: signInText(WALLET.address, older, signedAt) });
    const answer = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
    expect([answer.status, answer.errorCode]).toEqual([403, "invalid_signature"]);
  });

  it("a wrong signedAt changes the text: 403, and the nonce stays usable", async () => {
    const signedAt = "2026-11-21T10:00:00.000Z";
    const { login, signature, nonce } = await client.stakeLogin(WALLET, { signedAt, sentSignedAt: "2026-11-21T10:00:01.000Z" });
    expect([login.status, login.errorCode]).toEqual([403, "invalid_signature"]);
    expect(login.body).toEqual({ code: "invalid_signature", message: expect.any(String) });
    const again = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
    expect(again.status).toBe(200);
    expect(nonce).toMatch(/^[0-9a-f]+$/);
  });

  it("refuses a signature by another wallet, a text with another nonce, chain or domain, garbage (403)", async () => {
    const nonce = StakeNonceSchema.parse((await client.nonce(WALLET.address)).body).nonce;
    const signedAt = new Date().toISOString();
    const good = signInText(WALLET.address, nonce, signedAt);
    const signatures = [
      await OTHER_WALLET.signMessage({ message: good }),
      await WALLET.signMessage({ message: signInText(WALLET.address, "another", signedAt) }),
      await WALLET.signMessage({ message: good.replace("Chain ID: 1", "Chain ID: 5") }),
      await WALLET.signMessage({ message: good.replace("api.bloq.com wants", "evil.example wants") }),
      await WALLET.signMessage({ message: good.toLowerCase() }),
      "0x00",
      `0x${"ab".repeat(65)}`,
      `0x${"ab".repeat(2000)}`,
    ];
    for (const signature of signatures) {
      const answer = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
      expect([answer.status, answer.errorCode], signature.slice(0, 20)).toEqual([403, "invalid_signature"]);
    }
  });

  it("a login without an outstanding nonce is 401", async () => {
    const signedAt = new Date().toISOString();
    const signature = await WALLET.signMessage({ message: signInText(WALLET.address, "never-issued", signedAt) });
    const answer = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
    expect([answer.status, answer.errorCode]).toEqual([401, "nonce_invalid"]);
  });

  it("nonces expire after 10 minutes of sandbox time", async () => {
    const nonce = StakeNonceSchema.parse((await client.nonce(WALLET.address)).body).nonce;
    await advanceClock(sandbox, STAKE_NONCE_SECONDS + 1);
    const signedAt = new Date().toISOString();
    const signature = await WALLET.signMessage({ message: signInText(WALLET.address, nonce, signedAt) });
    const answer = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
    expect([answer.status, answer.errorCode]).toEqual([401, "nonce_invalid"]);
    expect((await client.stakeLogin(WALLET)).login.status).toBe(200);
  });

  it("an address marked unknown gets 404 at the nonce and 401 at the login; known: true undoes it", async () => {
    const pending = StakeNonceSchema.parse((await client.nonce(WALLET.address)).body).nonce;
    const marked = await markUser(sandbox, WALLET.address.toLowerCase(), false);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ address: WALLET.address, known: false });

    const nonce = await client.nonce(WALLET.address);
    expect([nonce.status, nonce.errorCode]).toEqual([404, "user_not_found"]);
    const signedAt = new Date().toISOString();
    const signature = await WALLET.signMessage({ message: signInText(WALLET.address, pending, signedAt) });
    const login = await client.stakeAuth({ address: WALLET.address, service: "stake", signature, signedAt });
    expect([login.status, login.errorCode]).toEqual([401, "user_not_found"]);
    // other addresses are untouched
    expect((await client.stakeLogin(OTHER_WALLET)).login.status).toBe(200);

    expect((await markUser(sandbox, WALLET.address, true)).body).toEqual({ address: WALLET.address, known: true });
    expect((await client.stakeLogin(WALLET)).login.status).toBe(200);
  });

  it("reset makes every address known again; the control refuses bad input with 400", async () => {
    await markUser(sandbox, WALLET.address, false);
    expect((await control(sandbox, "POST", "/reset")).status).toBe(204);
    expect((await client.nonce(WALLET.address)).status).toBe(200);
    for (const body of [{}, { address: WALLET.address }, { address: "0x12", known: false }, { address: WALLET.address, known: "no" }]) {
      expect((await control(sandbox, "POST", "/bloq/users", body)).status).toBe(400);
    }
  });
});
