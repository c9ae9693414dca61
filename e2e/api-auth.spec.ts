/** Sign-in with Ethereum to the app, over HTTP against the running app (shared/API.md, end user). */
import { errorOf, expect, newWallet, nonce, signedSignIn, signIn, staffWallet, test } from "./api-helpers";

test("nonce, sign-in, session, logout", async ({ request, baseURL }) => {
  const unsigned = await request.get("/api/auth/session");
  expect(unsigned.status()).toBe(200);
  expect(await unsigned.json()).toEqual({ signedIn: false });

  const wallet = newWallet();
  const verified = await signIn(request, baseURL!, wallet);
  expect(await verified.json()).toEqual({ address: wallet.address, chainId: 300, isStaff: false });
  const cookie = verified.headersArray().find((h) => h.name.toLowerCase() === "set-cookie")?.value ?? "";
  expect(cookie).toMatch(/^onboarding_session=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Path=\//);
  expect(cookie).not.toContain(wallet.address);

  const session = await request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({ signedIn: true, address: wallet.address, chainId: 300, isStaff: false });
  expect(session.headers()["cache-control"]).toContain("no-store");

  const logout = await request.post("/api/auth/logout");
  expect(logout.status()).toBe(204);
  expect(await (await request.get("/api/auth/session")).json()).toEqual({ signedIn: false });
});

test("after logout a copy of the cookie is worth nothing, on every route, staff routes included", async ({ request, baseURL, playwright }) => {
  for (const wallet of [newWallet(), staffWallet]) {
    await signIn(request, baseURL!, wallet);
    const copy = await playwright.request.newContext({
      baseURL,
      storageState: await request.storageState(),
      extraHTTPHeaders: { origin: new URL(baseURL!).origin },
    });
    expect(await (await copy.get("/api/auth/session")).json()).toMatchObject({ signedIn: true });
    expect((await request.post("/api/auth/logout")).status()).toBe(204);
    expect(await (await copy.get("/api/auth/session")).json()).toEqual({ signedIn: false });
    for (const route of ["/api/onboarding", "/api/staff/onboardings", "/api/staff/sessions"]) {
      const response = await copy.get(route);
      expect(response.status(), `${wallet.address} ${route}`).toBe(401);
      expect(await errorOf(response)).toMatchObject({ code: "not_signed_in" });
    }
    expect((await copy.post("/api/onboarding", { data: {} })).status()).toBe(401);
    await copy.dispose();
  }
});

test("the same signed message sent twice at the same moment signs in once", async ({ request, baseURL, playwright }) => {
  const body = await signedSignIn(baseURL!, newWallet(), await nonce(request));
  const state = await request.storageState();
  const copies = await Promise.all(
    [0, 1, 2, 3].map(() => playwright.request.newContext({ baseURL, storageState: state, extraHTTPHeaders: { origin: new URL(baseURL!).origin } })),
  );
  const answers = await Promise.all(copies.map((copy) => copy.post("/api/auth/verify", { data: body })));
  expect(answers.map((answer) => answer.status()).sort()).toEqual([200, 401, 401, 401]);
  await Promise.all(copies.map((copy) => copy.dispose()));
});

test("a nonce is used once: the replay fails, also with the cookie from before the sign-in", async ({ request, baseURL, playwright }) => {
  const wallet = newWallet();
  const body = await signedSignIn(baseURL!, wallet, await nonce(request));
  const before = await request.storageState();
  expect((await request.post("/api/auth/verify", { data: body })).status()).toBe(200);

  const replay = await request.post("/api/auth/verify", { data: body });
  expect(replay.status()).toBe(401);
  expect(await errorOf(replay)).toMatchObject({ code: "siwe_invalid", reason: "nonce_missing" });

  const oldCookie = await playwright.request.newContext({
    baseURL,
    storageState: before,
    extraHTTPHeaders: { origin: new URL(baseURL!).origin },
  });
  const replayed = await oldCookie.post("/api/auth/verify", { data: body });
  expect(replayed.status()).toBe(401);
  expect(await errorOf(replayed)).toMatchObject({ code: "siwe_invalid", reason: "nonce_missing" });
  await oldCookie.dispose();
});

test("refusals are 401 siwe_invalid with the reason, and each one spends the nonce", async ({ request, baseURL }) => {
  const wallet = newWallet();
  const cases = [
    [{ domain: "evil.example" }, "domain_mismatch"],
    [{ uri: "https://evil.example/login" }, "uri_mismatch"],
    [{ chainId: 1 }, "chain_not_allowed"],
    [{ issuedAt: new Date(Date.now() - 11 * 60_000) }, "too_old"],
    [{ expirationTime: new Date(Date.now() - 1_000) }, "expired"],
  ] as const;
  for (const [overrides, reason] of cases) {
    const nonceValue = await nonce(request);
    const refused = await request.post("/api/auth/verify", { data: await signedSignIn(baseURL!, wallet, nonceValue, overrides) });
    expect(refused.status(), reason).toBe(401);
    const error = await errorOf(refused);
    expect(error).toMatchObject({ code: "siwe_invalid", reason });
    expect(error.message).toMatch(/^Sign-in refused: /);
    // the same nonce, now in a good message: spent by the refusal
    const retried = await request.post("/api/auth/verify", { data: await signedSignIn(baseURL!, wallet, nonceValue) });
    expect(await errorOf(retried)).toMatchObject({ code: "siwe_invalid", reason: "nonce_missing" });
  }

  const body = await signedSignIn(baseURL!, wallet, await nonce(request));
  const byAnother = await request.post("/api/auth/verify", { data: { ...body, signature: await newWallet().signMessage({ message: body.message }) } });
  expect(await errorOf(byAnother)).toMatchObject({ code: "siwe_invalid", reason: "bad_signature" });
  expect(await (await request.get("/api/auth/session")).json()).toEqual({ signedIn: false });
});

test("state-changing requests from another origin, or with no Origin, are refused with 403", async ({ request, baseURL, playwright }) => {
  const body = await signedSignIn(baseURL!, newWallet(), await nonce(request));
  const foreign = await request.post("/api/auth/verify", { data: body, headers: { origin: "https://evil.example" } });
  expect(foreign.status()).toBe(403);
  expect(await errorOf(foreign)).toMatchObject({ code: "origin_forbidden" });
  expect((await request.post("/api/auth/logout", { headers: { origin: "http://127.0.0.1:1" } })).status()).toBe(403);

  const noOrigin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: {} }); // not the test's Origin
  const missing = await noOrigin.post("/api/auth/logout");
  expect(missing.status()).toBe(403);
  expect(await errorOf(missing)).toMatchObject({ code: "origin_forbidden" });
  expect((await noOrigin.get("/api/auth/nonce")).status()).toBe(200); // reads need no Origin
  await noOrigin.dispose();

  // the refused attempt did not spend the nonce: the request never reached the route
  expect((await request.post("/api/auth/verify", { data: body })).status()).toBe(200);
});

test("bad bodies: 400 for bad JSON or wrong fields, 413 over 64 KiB", async ({ request }) => {
  const badJson = await request.post("/api/auth/verify", { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } });
  expect(badJson.status()).toBe(400);
  expect(await errorOf(badJson)).toMatchObject({ code: "invalid_json" });

  const wrongFields = await request.post("/api/auth/verify", { data: { message: "hello", signature: "not hex" } });
  expect(wrongFields.status()).toBe(400);
  expect(await errorOf(wrongFields)).toMatchObject({ code: "invalid_request" });

  const huge = await request.post("/api/auth/verify", { data: { message: "x".repeat(70 * 1024), signature: "0x00" } });
  expect(huge.status()).toBe(413);
  expect(await errorOf(huge)).toMatchObject({ code: "payload_too_large" });
});
