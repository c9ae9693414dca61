/**
 * The fleet: two app instances on one Postgres started at once, nginx round robin in front (deploy/nginx/
 * fleet.conf, no sticky sessions), proven through nginx and per instance: the start registers one signing key
 * and one webhook fleet-wide, nonces and sessions are the database's (a nonce issued by one instance is used
 * on the other, the same signed message sent to both signs in once, a logout on one ends the session on the
 * other), the per-client rate limit counts across instances, a user onboards to OffBlocks `active` through
 * nginx, and the staff stream opened on one instance (and through nginx) delivers events written through the other.
 * Needs TEST_DATABASE_URL and nginx (e2e/fleet-harness.ts says so when either is missing).
 */
import type { APIRequestContext } from "@playwright/test";
import { errorOf, expect, newWallet, nonce, signedSignIn, signIn, staffWallet, test, uniqueClientAddress } from "./api-helpers";
import { FLEET_NONCE_LIMIT, fleetPrerequisiteMissing, startFleet, type Fleet } from "./fleet-harness";
import { openStream } from "./staff-stream-reader";

interface Onboarding {
  id: string;
  status: string;
  steps: { offblocks: { status: string; challenge?: { message: string } } };
}

test.describe.configure({ mode: "serial", timeout: 90_000 });
test.use({ extraHTTPHeaders: {} });

let fleet: Fleet;
/** a client address of its own, named in X-Forwarded-For as the one trusted proxy would (TRUST_PROXY=1) */
const clientAddress = uniqueClientAddress;

test.beforeAll(async () => {
  // two app instances and nginx start here: on a loaded 2-core machine that can take over a minute
  test.setTimeout(240_000);
  const missing = fleetPrerequisiteMissing();
  if (missing) throw new Error(missing);
  fleet = await startFleet(2);
});

test.afterAll(async () => {
  await fleet?.stop();
});

/** A cookie jar of its own on `baseURL`, carrying the fleet's Origin (PUBLIC_URL) as a browser's would. */
function person(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }, baseURL: string, clientAddressHeader?: string) {
  return playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { origin: fleet.url, ...(clientAddressHeader ? { "x-forwarded-for": clientAddressHeader } : {}) },
  });
}

async function cookieOf(request: APIRequestContext): Promise<string> {
  return (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

test("two instances starting at once register one signing key and one webhook at OffBlocks", () => {
  const served = (method: string, path: string) => fleet.sandbox!.requests.filter((r) => r.method === method && r.path === path).length;
  expect(served("PUT", "/offblocks/v1/auth/signing")).toBe(1);
  expect(served("PUT", "/offblocks/v1/webhooks")).toBe(1);
});

test("a nonce issued by one instance is used on the other, once", async ({ playwright }) => {
  const [a, b] = fleet.instances as [string, string];
  const request = await person(playwright, a, clientAddress());
  const body = await signedSignIn(fleet.url, newWallet(), await nonce(request));
  // one host, two ports: the cookie jar sends the nonce cookie to both instances
  const signed = await request.post(`${b}/api/auth/verify`, { data: body });
  expect(signed.status(), await signed.text()).toBe(200);
  expect(await (await request.get(`${a}/api/auth/session`)).json()).toMatchObject({ signedIn: true });
  const replay = await request.post(`${a}/api/auth/verify`, { data: body });
  expect(replay.status()).toBe(401);
  expect(await errorOf(replay)).toMatchObject({ code: "siwe_invalid", reason: "nonce_missing" });
  await request.dispose();
});

test("the same signed message sent to both instances at once signs in exactly once", async ({ playwright }) => {
  const [a, b] = fleet.instances as [string, string];
  for (let round = 0; round < 3; round++) {
    const request = await person(playwright, a, clientAddress());
    const body = await signedSignIn(fleet.url, newWallet(), await nonce(request));
    const answers = await Promise.all([a, b].map((origin) => request.post(`${origin}/api/auth/verify`, { data: body })));
    expect(answers.map((answer) => answer.status()).sort(), `round ${round}`).toEqual([200, 401]);
    await request.dispose();
  }
});

test("a logout on one instance is a 401 for a copy of the cookie on the other", async ({ playwright }) => {
  const [a, b] = fleet.instances as [string, string];
  const request = await person(playwright, a, clientAddress());
  // signed in on `a` (the context's baseURL), for the fleet's domain (PUBLIC_URL)
  await signIn(request, fleet.url, newWallet());
  const cookie = await cookieOf(request);
  expect(await (await fetch(`${b}/api/auth/session`, { headers: { cookie } })).json()).toMatchObject({ signedIn: true });
  expect((await request.post(`${a}/api/auth/logout`)).status()).toBe(204);
  const copy = await fetch(`${b}/api/auth/session`, { headers: { cookie } });
  expect(copy.status).toBe(200);
  expect(await copy.json()).toEqual({ signedIn: false });
  await request.dispose();
});

test("the per-client nonce limit counts across instances", async ({ playwright }) => {
  const client = clientAddress();
  const requests = await Promise.all(fleet.instances.map((origin) => person(playwright, origin, client)));
  const statuses = new Map<number, number>();
  // half the limit on each instance spends it, then both refuse
  for (let i = 0; i < FLEET_NONCE_LIMIT / 2; i++) {
    for (const request of requests) {
      const status = (await request.get("/api/auth/nonce")).status();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  expect(Object.fromEntries(statuses)).toEqual({ 200: FLEET_NONCE_LIMIT });
  for (const request of requests) {
    const limited = await request.get("/api/auth/nonce");
    expect(limited.status()).toBe(429);
    expect(await errorOf(limited)).toMatchObject({ code: "rate_limited", limit: "nonce" });
  }
  // nginx appends the socket's address to whatever the client claims: through it, the claim names no one
  const throughNginx = await person(playwright, fleet.url, client);
  expect((await throughNginx.get("/api/auth/nonce")).status()).toBe(200);
  await Promise.all([...requests, throughNginx].map((request) => request.dispose()));
});

test("a user onboards to OffBlocks active through nginx, round robin", async ({ playwright }) => {
  const request = await person(playwright, fleet.url);
  const wallet = newWallet();
  await signIn(request, fleet.url, wallet);
  const created = await request.post("/api/onboarding", { data: {} });
  expect(created.status(), await created.text()).toBe(201);
  const onboarding = (await created.json()) as Onboarding;
  const signature = await wallet.signMessage({ message: onboarding.steps.offblocks.challenge!.message });
  const signed = await request.post("/api/onboarding/offblocks/sign", { data: { signature } });
  expect(signed.status(), await signed.text()).toBe(200);
  await expect
    .poll(
      async () => {
        const current = (await (await request.get("/api/onboarding")).json()) as Onboarding;
        return `${current.status} ${current.steps.offblocks.status}`;
      },
      { timeout: 30_000, intervals: [500] },
    )
    .toBe("verified active");
  await request.dispose();
});

test("the staff stream opened on one instance delivers events written through the other", async ({ playwright }) => {
  const [a, b] = fleet.instances as [string, string];
  const staff = await person(playwright, a, clientAddress());
  await signIn(staff, fleet.url, staffWallet);
  const cookie = await cookieOf(staff);
  const stream = await openStream(a, cookie);
  // and through nginx, which must pass the stream on as it comes (proxy_buffering off)
  const proxied = await openStream(fleet.url, cookie);
  try {
    const user = await person(playwright, b, clientAddress());
    await signIn(user, fleet.url, newWallet());
    const created = await user.post("/api/onboarding", { data: {} });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as Onboarding;
    await stream.until(() => stream.events(id).length > 0, "the event written on the other instance");
    expect(stream.events(id)[0]).toMatchObject({ type: "status_change" });
    await proxied.until(() => proxied.events(id).length > 0, "the event, through nginx");
    expect(proxied.events(id)[0]).toEqual(stream.events(id)[0]);
    await user.dispose();
  } finally {
    stream.close();
    proxied.close();
    await staff.dispose();
  }
});
