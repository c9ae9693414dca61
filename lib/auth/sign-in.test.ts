import { eq } from "drizzle-orm";
import type { CookieStore } from "iron-session";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { authSessions, signInNonces } from "../db/schema";
import { openTestDatabase, reopenSameDatabase, testDatabaseKinds } from "../db/test-databases";
import { openSession, sessionOptions, SESSION_COOKIE, SESSION_TTL_SECONDS, type AppSession } from "../session";
import { eoaSignatureCheck } from "../siwe/verify";
import { issueNonce, NONCE_TTL_SECONDS } from "./nonce";
import { endSessionsOf, listLiveSessions } from "./sessions";
import { currentUser, requireUser, signIn, signOut, type SignInSettings } from "./sign-in";

/** A browser's cookie jar for one origin, as iron-session sees it through Next's `cookies()`. */
class MemoryCookies implements CookieStore {
  readonly values = new Map<string, string>();
  readonly attributes = new Map<string, Record<string, unknown>>();
  get(name: string) {
    const value = this.values.get(name);
    return value === undefined ? undefined : { name, value };
  }
  getAll() {
    return [...this.values].map(([name, value]) => ({ name, value }));
  }
  set(name: string, value: string, options: Record<string, unknown>) {
    this.attributes.set(name, options);
    if (options.maxAge === 0 || value === "") this.values.delete(name);
    else this.values.set(name, value);
  }
  copy(): MemoryCookies {
    const copy = new MemoryCookies();
    for (const [name, value] of this.values) copy.values.set(name, value);
    return copy;
  }
}

const options = sessionOptions({
  publicUrl: "http://localhost:3000",
  sessionPassword: "a-test-session-password-of-32-chars!!",
  dataDir: "/nonexistent",
  sandbox: { enabled: false },
});
const account = privateKeyToAccount(generatePrivateKey());
const t0 = new Date("2026-11-21T12:00:00Z");
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function settings(overrides: Partial<SignInSettings> = {}): SignInSettings {
  return {
    appOrigin: "http://localhost:3000",
    chainIds: [300, 324],
    staffAddresses: [],
    checkSignature: eoaSignatureCheck,
    ...overrides,
  };
}

async function signed(nonce: string, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}, signer = account) {
  const message = createSiweMessage({
    domain: "localhost:3000",
    address: signer.address,
    statement: "Sign in to the wallet onboarding app.",
    uri: "http://localhost:3000",
    version: "1",
    chainId: 300,
    nonce,
    issuedAt: t0,
    ...overrides,
  });
  return { message, signature: await signer.signMessage({ message }) };
}

const session = (jar: MemoryCookies): Promise<AppSession> => openSession(jar, options);

describe.each(testDatabaseKinds())("sign-in with Ethereum to the app (%s)", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());
  const db = () => database.db;

  async function nonceIn(jar: MemoryCookies, at = t0): Promise<string> {
    const cookie = await openSession(jar, options);
    const { id, nonce } = await issueNonce(db(), at, cookie.nonceId);
    cookie.nonceId = id;
    await cookie.save();
    return nonce;
  }
  const signInWith = async (jar: MemoryCookies, input: { message: string; signature: `0x${string}` }, shared = settings(), at = later(1)) =>
    signIn(db(), await session(jar), input, shared, { now: at, userAgent: "test-agent" });

  it("signs in with the cookie's nonce; the sealed, httpOnly, sameSite=lax cookie holds only a session id", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const user = await signInWith(jar, await signed(nonce), settings(), later(30));
    expect(user).toEqual({ address: account.address, chainId: 300, isStaff: false });

    expect(jar.values.get(SESSION_COOKIE)).not.toContain(account.address);
    expect(jar.attributes.get(SESSION_COOKIE)).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false, path: "/" });
    const reopened = await session(jar);
    expect(Object.keys(reopened).sort()).toEqual(["sessionId"]);
    const [row] = await db().select().from(authSessions).where(eq(authSessions.id, reopened.sessionId!));
    expect(row).toMatchObject({ address: account.address, chainId: 300, userAgent: "test-agent", endedAt: null });
    expect(row!.expiresAt.getTime() - row!.signedInAt.getTime()).toBe(SESSION_TTL_SECONDS * 1000);
    expect(await currentUser(db(), reopened, settings(), later(60))).toEqual(user);
    expect(await db().select().from(signInNonces).where(eq(signInNonces.nonce, nonce))).toEqual([]);
  });

  it("marks staff wallets", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const user = await signInWith(jar, await signed(nonce), settings({ staffAddresses: [account.address] }));
    expect(user.isStaff).toBe(true);
  });

  it("uses a nonce once: a replay fails, even with a copy of the cookie from before the sign-in", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const oldCookie = jar.copy();
    const input = await signed(nonce);
    await signInWith(jar, input);

    await expect(signInWith(jar, input, settings(), later(2))).rejects.toMatchObject({
      code: "siwe_invalid",
      status: 401,
      details: { reason: "nonce_missing" },
    });
    await expect(signInWith(oldCookie, input, settings(), later(3))).rejects.toMatchObject({ details: { reason: "nonce_missing" } });
  });

  it("signs in exactly once when the same signed message arrives on several instances at the same moment", async () => {
    const jar = new MemoryCookies();
    const input = await signed(await nonceIn(jar));
    // each "instance" has its own database connection (pool) on the same database, and its own copy of the cookie
    const instances = kind === "postgres" ? await Promise.all([0, 1, 2].map(() => reopenSameDatabase(database))) : [database, database, database];
    try {
      const attempts = await Promise.allSettled(
        instances.flatMap((instance) => [0, 1].map(async () => signIn(instance.db, await session(jar.copy()), input, settings(), { now: later(1) }))),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      for (const failed of attempts.filter((a) => a.status === "rejected")) {
        expect((failed as PromiseRejectedResult).reason).toMatchObject({ details: { reason: "nonce_missing" } });
      }
    } finally {
      if (kind === "postgres") await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it("consumes the nonce on a refused attempt too, and a refused attempt ends an earlier sign-in", async () => {
    const jar = new MemoryCookies();
    const first = await signed(await nonceIn(jar));
    await signInWith(jar, first);
    const earlier = (await session(jar)).sessionId;

    const nonce = await nonceIn(jar, later(2));
    await expect(signInWith(jar, await signed(nonce, { domain: "evil.example" }), settings(), later(3))).rejects.toMatchObject({
      message: expect.stringContaining("another domain"),
      details: { reason: "domain_mismatch" },
    });
    expect(await currentUser(db(), await session(jar), settings(), later(4))).toBeUndefined();
    const [row] = await db().select().from(authSessions).where(eq(authSessions.id, earlier!));
    expect(row).toMatchObject({ endReason: "replaced" });
    await expect(signInWith(jar, await signed(nonce), settings(), later(5))).rejects.toMatchObject({ details: { reason: "nonce_missing" } });
  });

  const refusals: [string, Partial<Parameters<typeof createSiweMessage>[0]>, string][] = [
    ["another domain (a phishing site's message)", { domain: "localhost:3001" }, "domain_mismatch"],
    ["a URI on another origin", { uri: "https://localhost:3000/" }, "uri_mismatch"],
    ["a chain that is not configured", { chainId: 1 }, "chain_not_allowed"],
    ["a message issued more than 10 minutes ago", { issuedAt: later(-11 * 60) }, "too_old"],
    ["a message issued in the future", { issuedAt: later(120) }, "issued_in_future"],
    ["an expired message", { expirationTime: later(-1) }, "expired"],
    ["a message not valid yet", { notBefore: later(60) }, "not_yet_valid"],
  ];
  for (const [what, overrides, reason] of refusals) {
    it(`refuses ${what} with 401 siwe_invalid (${reason})`, async () => {
      const jar = new MemoryCookies();
      const nonce = await nonceIn(jar);
      await expect(signInWith(jar, await signed(nonce, overrides))).rejects.toMatchObject({ code: "siwe_invalid", status: 401, details: { reason } });
    });
  }

  it("refuses a message of another EIP-4361 version", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const message = (await signed(nonce)).message.replace("Version: 1", "Version: 2");
    await expect(signInWith(jar, { message, signature: await account.signMessage({ message }) })).rejects.toMatchObject({ code: "siwe_invalid" });
  });

  it("refuses a signature by another wallet, a nonce not from this cookie, an expired nonce, and no nonce", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const good = await signed(nonce);
    const other = privateKeyToAccount(generatePrivateKey());
    await expect(signInWith(jar, { message: good.message, signature: await other.signMessage({ message: good.message }) })).rejects.toMatchObject({
      details: { reason: "bad_signature" },
    });

    await nonceIn(jar);
    await expect(signInWith(jar, await signed("someoneElsesNonce1"))).rejects.toMatchObject({ details: { reason: "nonce_mismatch" } });

    const stale = await nonceIn(jar);
    await expect(signInWith(jar, await signed(stale), settings(), later(NONCE_TTL_SECONDS + 1))).rejects.toMatchObject({
      details: { reason: "nonce_expired" },
    });

    await expect(signInWith(new MemoryCookies(), good)).rejects.toMatchObject({ details: { reason: "nonce_missing" } });
  });

  it("ends a sign-in after its lifetime, on sign-out (a copy of the cookie too), and when its chain is no longer configured", async () => {
    const jar = new MemoryCookies();
    await signInWith(jar, await signed(await nonceIn(jar)));
    expect(await requireUser(db(), await session(jar), settings(), later(SESSION_TTL_SECONDS - 10))).toMatchObject({ address: account.address });
    await expect(requireUser(db(), await session(jar), settings(), later(SESSION_TTL_SECONDS + 2))).rejects.toMatchObject({
      code: "not_signed_in",
      status: 401,
      details: { reason: "expired" },
    });
    await expect(requireUser(db(), await session(jar), settings({ chainIds: [324] }), later(5))).rejects.toMatchObject({
      code: "not_signed_in",
      details: { reason: "ended" },
    });
    await expect(requireUser(db(), await session(new MemoryCookies()), settings(), later(5))).rejects.toMatchObject({ details: { reason: "none" } });

    const copy = jar.copy();
    await signOut(db(), await session(jar), later(6));
    expect(jar.values.has(SESSION_COOKIE)).toBe(false);
    expect(await currentUser(db(), await session(jar), settings(), later(7))).toBeUndefined();
    expect(await currentUser(db(), await session(copy), settings(), later(7))).toBeUndefined();
    // the copy's 401 says why: this wallet signed out (another tab's page tells the person so)
    await expect(requireUser(db(), await session(copy), settings(), later(7))).rejects.toMatchObject({ details: { reason: "signed_out" } });
  });

  it("signs a wallet out everywhere, and only that wallet", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    const phone = new MemoryCookies();
    const laptop = new MemoryCookies();
    const someoneElse = new MemoryCookies();
    await signInWith(phone, await signed(await nonceIn(phone)));
    await signInWith(laptop, await signed(await nonceIn(laptop)));
    await signInWith(someoneElse, await signed(await nonceIn(someoneElse), {}, other));
    const live = await listLiveSessions(db(), later(2), { address: account.address });
    expect(live.length).toBeGreaterThanOrEqual(2);

    expect(await endSessionsOf(db(), account.address, "staff", later(3), other.address)).toBe(live.length);
    expect(await currentUser(db(), await session(phone), settings(), later(4))).toBeUndefined();
    expect(await currentUser(db(), await session(laptop), settings(), later(4))).toBeUndefined();
    expect(await currentUser(db(), await session(someoneElse), settings(), later(4))).toMatchObject({ address: other.address });
    expect(await listLiveSessions(db(), later(4), { address: account.address })).toEqual([]);
  });
});

describe("the session cookie", () => {
  it("sets Secure when the app is served over https", () => {
    const secure = sessionOptions({
      publicUrl: "https://onboarding.example",
      sessionPassword: "a-test-session-password-of-32-chars!!",
      dataDir: "/nonexistent",
      sandbox: { enabled: false },
    });
    expect(secure.cookieOptions).toMatchObject({ secure: true, httpOnly: true, sameSite: "lax" });
  });
});
