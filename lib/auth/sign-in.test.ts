import type { CookieStore } from "iron-session";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { describe, expect, it } from "vitest";
import { openSession, sessionOptions, SESSION_COOKIE, SESSION_TTL_SECONDS, type AppSession } from "../session";
import { eoaSignatureCheck } from "../siwe/verify";
import { ConsumedNonces, issueNonce, NONCE_TTL_SECONDS } from "./nonce";
import { currentUser, requireUser, signIn, type SignInSettings } from "./sign-in";

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
    consumedNonces: new ConsumedNonces(),
    ...overrides,
  };
}

async function nonceIn(jar: MemoryCookies, at = t0): Promise<string> {
  const session = await openSession(jar, options);
  const nonce = issueNonce(session, at);
  await session.save();
  return nonce;
}

async function signed(nonce: string, overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
  const message = createSiweMessage({
    domain: "localhost:3000",
    address: account.address,
    statement: "Sign in to the wallet onboarding app.",
    uri: "http://localhost:3000",
    version: "1",
    chainId: 300,
    nonce,
    issuedAt: t0,
    ...overrides,
  });
  return { message, signature: await account.signMessage({ message }) };
}

const session = (jar: MemoryCookies): Promise<AppSession> => openSession(jar, options);

describe("sign-in with Ethereum to the app", () => {
  it("signs in with the session's nonce and keeps the wallet in a sealed, httpOnly, sameSite=lax cookie", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const user = await signIn(await session(jar), await signed(nonce), settings(), later(30));
    expect(user).toEqual({ address: account.address, chainId: 300, isStaff: false });

    expect(jar.values.get(SESSION_COOKIE)).not.toContain(account.address);
    expect(jar.attributes.get(SESSION_COOKIE)).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false, path: "/" });
    const reopened = await session(jar);
    expect(reopened).toMatchObject({ address: account.address, chainId: 300 });
    expect(reopened.nonce).toBeUndefined();
    expect(currentUser(reopened, settings(), later(60))).toEqual(user);
  });

  it("marks staff wallets", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const user = await signIn(await session(jar), await signed(nonce), settings({ staffAddresses: [account.address] }), later(1));
    expect(user.isStaff).toBe(true);
  });

  it("uses a nonce once: a replay fails, even with a copy of the cookie from before the sign-in", async () => {
    const jar = new MemoryCookies();
    const shared = settings();
    const nonce = await nonceIn(jar);
    const oldCookie = jar.copy();
    const input = await signed(nonce);
    await signIn(await session(jar), input, shared, later(1));

    await expect(signIn(await session(jar), input, shared, later(2))).rejects.toMatchObject({
      code: "siwe_invalid",
      status: 401,
      details: { reason: "nonce_missing" },
    });
    await expect(signIn(await session(oldCookie), input, shared, later(3))).rejects.toMatchObject({ details: { reason: "nonce_missing" } });
  });

  it("consumes the nonce on a refused attempt too, and a refused attempt ends an earlier sign-in", async () => {
    const jar = new MemoryCookies();
    const shared = settings();
    const first = await signed(await nonceIn(jar));
    await signIn(await session(jar), first, shared, later(1));

    const nonce = await nonceIn(jar, later(2));
    await expect(signIn(await session(jar), await signed(nonce, { domain: "evil.example" }), shared, later(3))).rejects.toMatchObject({
      message: expect.stringContaining("another domain"),
      details: { reason: "domain_mismatch" },
    });
    expect(currentUser(await session(jar), shared, later(4))).toBeUndefined();
    await expect(signIn(await session(jar), await signed(nonce), shared, later(5))).rejects.toMatchObject({ details: { reason: "nonce_missing" } });
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
      await expect(signIn(await session(jar), await signed(nonce, overrides), settings(), later(1))).rejects.toMatchObject({
        code: "siwe_invalid",
        status: 401,
        details: { reason },
      });
    });
  }

  it("refuses a message of another EIP-4361 version", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const message = (await signed(nonce)).message.replace("Version: 1", "Version: 2");
    await expect(signIn(await session(jar), { message, signature: await account.signMessage({ message }) }, settings(), later(1))).rejects.toMatchObject({
      code: "siwe_invalid",
    });
  });

  it("refuses a signature by another wallet, a nonce not from this session, an expired nonce, and no nonce", async () => {
    const jar = new MemoryCookies();
    const nonce = await nonceIn(jar);
    const good = await signed(nonce);
    const other = privateKeyToAccount(generatePrivateKey());
    await expect(
      signIn(await session(jar), { message: good.message, signature: await other.signMessage({ message: good.message }) }, settings(), later(1)),
    ).rejects.toMatchObject({ details: { reason: "bad_signature" } });

    await nonceIn(jar);
    await expect(signIn(await session(jar), await signed("someoneElsesNonce1"), settings(), later(1))).rejects.toMatchObject({
      details: { reason: "nonce_mismatch" },
    });

    const stale = await nonceIn(jar);
    await expect(signIn(await session(jar), await signed(stale), settings(), later(NONCE_TTL_SECONDS + 1))).rejects.toMatchObject({
      details: { reason: "nonce_expired" },
    });

    await expect(signIn(await session(new MemoryCookies()), good, settings(), later(1))).rejects.toMatchObject({
      details: { reason: "nonce_missing" },
    });
  });

  it("ends a sign-in after the session's lifetime, on sign-out, and when its chain is no longer configured", async () => {
    const jar = new MemoryCookies();
    const input = await signed(await nonceIn(jar));
    await signIn(await session(jar), input, settings(), later(1));
    expect(requireUser(await session(jar), settings(), later(SESSION_TTL_SECONDS - 10))).toMatchObject({ address: account.address });
    await expect(session(jar).then((s) => requireUser(s, settings(), later(SESSION_TTL_SECONDS + 2)))).rejects.toMatchObject({
      code: "not_signed_in",
      status: 401,
    });
    await expect(session(jar).then((s) => requireUser(s, settings({ chainIds: [324] }), later(5)))).rejects.toMatchObject({ code: "not_signed_in" });

    const signedIn = await session(jar);
    signedIn.destroy();
    expect(jar.values.has(SESSION_COOKIE)).toBe(false);
    expect(currentUser(await session(jar), settings(), later(5))).toBeUndefined();
  });

  it("sets Secure on the cookie when the app is served over https", () => {
    const secure = sessionOptions({
      publicUrl: "https://onboarding.example",
      sessionPassword: "a-test-session-password-of-32-chars!!",
      dataDir: "/nonexistent",
      sandbox: { enabled: false },
    });
    expect(secure.cookieOptions).toMatchObject({ secure: true, httpOnly: true, sameSite: "lax" });
  });
});

describe("ConsumedNonces", () => {
  it("remembers a nonce until it would have expired anyway", () => {
    const consumed = new ConsumedNonces();
    expect(consumed.consume("a", 1_000, 0)).toBe(true);
    expect(consumed.consume("a", 1_000, 500)).toBe(false);
    expect(consumed.consume("b", 2_000, 1_000)).toBe(true);
    expect(consumed.size).toBe(1); // "a" forgotten once past its expiry
  });
});
