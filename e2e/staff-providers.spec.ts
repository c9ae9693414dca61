/**
 * The staff Providers page and its routes against the running app and its sandbox: every route refuses a
 * caller without a session (401) and a non-staff wallet (403); the staff wallet reads the provider status,
 * rotates the OffBlocks credentials over the API and on the page, after which a new user completes
 * OffBlocks to `active` with no restart; revoking needs the typed confirmation (the real revoke is covered
 * by lib/staff/providers.test.ts on a private sandbox: here it would end OffBlocks for the specs after this
 * one); the sandbox simulator rejects a customer and moves the clock.
 * The browser gets its staff session over HTTP (sign-in with Ethereum from the test process), its cookie
 * added to the page's context.
 */
import { expectNoSeriousViolations } from "./axe";
import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { SANDBOX_DEFAULTS } from "../lib/sandbox-defaults";
import { errorOf, expect, newWallet, originContext, SANDBOX_URL, signIn, staffWallet, test } from "./api-helpers";

const SANDBOX_DEFAULT_OFFBLOCKS = { apiKey: SANDBOX_DEFAULTS.offblocks.apiKey, apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret };

const CUSTOMER = "00000000-0000-4000-8000-000000000000";

const ROUTES: { method: "GET" | "POST" | "DELETE"; path: string; data?: unknown }[] = [
  { method: "GET", path: "/api/staff/providers" },
  { method: "POST", path: "/api/staff/providers/offblocks/credentials", data: { apiKey: CUSTOMER, apiSecret: "x".repeat(32) } },
  { method: "DELETE", path: "/api/staff/providers/offblocks/credentials", data: { confirm: "REVOKE" } },
  { method: "POST", path: `/api/staff/simulator/customers/${CUSTOMER}/verify`, data: {} },
  { method: "POST", path: `/api/staff/simulator/customers/${CUSTOMER}/reject`, data: {} },
  { method: "POST", path: "/api/staff/simulator/clock", data: { advanceSeconds: 1 } },
];

interface Onboarding {
  id: string;
  steps: { offblocks: { status: string; customerId?: string; challenge?: { message: string } } };
}
interface Status {
  sandbox: { enabled: boolean };
  providers: { name: string; mode: string; health: string; tokenExpiresAt: string | null; errorRate: number | null }[];
  offblocks: { apiKey: string | null; revoked: boolean; credentialVersion: number; signingKeyId: string | null; webhooks: { callbackUrl: string }[] };
  jobs: { queued: number; failed: number; windowHours: number; queues: { name: string }[] } | null;
}

const send = (request: APIRequestContext, route: (typeof ROUTES)[number]) => request.fetch(route.path, { method: route.method, data: route.data });

async function staffContext(baseURL: string): Promise<APIRequestContext> {
  const staff = await originContext(baseURL);
  await signIn(staff, baseURL, staffWallet);
  return staff;
}

async function status(staff: APIRequestContext): Promise<Status> {
  const response = await staff.get("/api/staff/providers");
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as Status;
}

/** A new wallet signs in, starts onboarding and signs the OffBlocks challenge: the customer is screening. */
async function userSignsOffblocks(baseURL: string): Promise<{ user: APIRequestContext; onboarding: Onboarding }> {
  const user = await originContext(baseURL);
  const wallet = newWallet();
  await signIn(user, baseURL, wallet);
  const started = await user.post("/api/onboarding", { data: {} });
  expect(started.status(), await started.text()).toBe(201);
  const onboarding = (await started.json()) as Onboarding;
  const signed = await user.post("/api/onboarding/offblocks/sign", {
    data: { signature: await wallet.signMessage({ message: onboarding.steps.offblocks.challenge!.message }) },
  });
  expect(signed.status(), await signed.text()).toBe(200);
  return { user, onboarding: (await signed.json()) as Onboarding };
}

/** A new user completes OffBlocks to `active` over HTTP (the sandbox approves screening and KYC itself). */
async function userReachesActive(baseURL: string): Promise<void> {
  const { user } = await userSignsOffblocks(baseURL);
  try {
    await expect
      .poll(async () => ((await (await user.get("/api/onboarding")).json()) as Onboarding).steps.offblocks.status, { timeout: 15_000 })
      .toBe("active");
  } finally {
    await user.dispose();
  }
}

/** Gives the browser context the staff session obtained over HTTP. */
async function browserAsStaff(browserContext: BrowserContext, staff: APIRequestContext): Promise<void> {
  await browserContext.addCookies((await staff.storageState()).cookies);
}

test("every providers route answers 401 without a session and 403 to a wallet that is not staff", async ({ request, baseURL }) => {
  for (const route of ROUTES) {
    const response = await send(request, route);
    expect(response.status(), `${route.method} ${route.path}`).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "not_signed_in" });
  }
  await signIn(request, baseURL!, newWallet());
  for (const route of ROUTES) {
    const response = await send(request, route);
    expect(response.status(), `${route.method} ${route.path}`).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: "not_staff" });
  }
});

test("staff read every provider's status; bad bodies are 400s", async ({ baseURL }) => {
  const staff = await staffContext(baseURL!);
  try {
    const body = await status(staff);
    expect(body.sandbox.enabled).toBe(true);
    expect(body.providers.map((p) => [p.name, p.mode])).toEqual([
      ["offblocks", "sandbox"],
      ["unblock", "sandbox"],
      ["bloq", "sandbox"],
    ]);
    expect(body.providers[0]!.health).toBe("ok");
    expect(body.offblocks.revoked).toBe(false);
    expect(body.offblocks.signingKeyId).toEqual(expect.any(String));
    expect(body.offblocks.webhooks.map((w) => w.callbackUrl)).toEqual([expect.stringMatching(/\/api\/webhooks\/offblocks\/•••$/)]);
    // the background job queue of the fleet (lib/jobs)
    expect(body.jobs).toMatchObject({ windowHours: 24, queued: expect.any(Number), failed: expect.any(Number) });
    expect(body.jobs!.queues.map((q) => q.name)).toEqual(["offblocks-follow", "offblocks-webhook-retry", "jobs-recover"]);

    const badKey = await staff.post("/api/staff/providers/offblocks/credentials", { data: { apiKey: "nope", apiSecret: "x".repeat(32) } });
    expect(badKey.status()).toBe(400);
    expect(await errorOf(badKey)).toMatchObject({ code: "invalid_request" });
    const badClock = await staff.post("/api/staff/simulator/clock", { data: { advanceSeconds: -5 } });
    expect(badClock.status()).toBe(400);
    const badCustomer = await staff.post("/api/staff/simulator/customers/not-a-uuid/reject", { data: {} });
    expect(badCustomer.status()).toBe(400);
  } finally {
    await staff.dispose();
  }
});

test("staff rotate the OffBlocks credentials over the API; a user then reaches OffBlocks active with no restart", async ({ baseURL }) => {
  const staff = await staffContext(baseURL!);
  try {
    const before = await status(staff);
    const apiKey = crypto.randomUUID();
    const rotated = await staff.post("/api/staff/providers/offblocks/credentials", { data: { apiKey, apiSecret: `e2e-secret-${crypto.randomUUID()}` } });
    expect(rotated.status(), await rotated.text()).toBe(200);
    expect(await rotated.json()).toEqual({ apiKey, version: before.offblocks.credentialVersion + 1 });
    expect((await status(staff)).offblocks.apiKey).toBe(apiKey);

    // the sandbox's default credentials (in use before, on a fresh e2e data dir) are refused now: OffBlocks really switched
    if (before.offblocks.apiKey === SANDBOX_DEFAULT_OFFBLOCKS.apiKey) {
      const old = await staff.post(`${SANDBOX_URL}/offblocks/v1/auth/token`, { data: SANDBOX_DEFAULT_OFFBLOCKS });
      expect(old.status()).toBe(401);
    }

    await userReachesActive(baseURL!);
  } finally {
    await staff.dispose();
  }
});

test("the page: staff generate and rotate new credentials, shown once; a user then reaches active", async ({ page, baseURL }) => {
  const staff = await staffContext(baseURL!);
  try {
    await browserAsStaff(page.context(), staff);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/staff/providers");
    await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
    for (const name of ["OffBlocks", "Unblock", "Bloq"]) await expect(page.getByRole("heading", { level: 2, name, exact: true })).toBeVisible();
    await expect(page.getByTestId("provider-offblocks-mode")).toHaveText(/Sandbox/);
    await expect(page.getByTestId("offblocks-key-id")).not.toHaveText("not registered yet");
    await expect(page.getByTestId("background-jobs-summary")).toHaveText(/^Background jobs: \d+ queued(, \d+ running)?, \d+ failed in the last 24 h/);
    // nothing wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoSeriousViolations(page, "the providers page");

    await page.getByRole("button", { name: "Generate new credentials" }).click();
    const apiKey = await page.getByLabel("New API key (UUID)").inputValue();
    expect(apiKey).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Rotate credentials" }).click();
    await expect(page.getByTestId("providers-message")).toContainText("OffBlocks credentials rotated");
    await expect(page.getByTestId("offblocks-new-credentials")).toContainText("shown once");
    await expect(page.getByTestId("offblocks-new-credentials-env")).toContainText(`OFFBLOCKS_API_KEY=${apiKey}`);
    await expect(page.getByTestId("offblocks-api-key")).toHaveText(apiKey);
    expect((await status(staff)).offblocks.apiKey).toBe(apiKey);
    await expectNoSeriousViolations(page, "the providers page after a rotation");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await userReachesActive(baseURL!);
  } finally {
    await staff.dispose();
  }
});

test("revoking needs the typed confirmation, on the API and on the page", async ({ page, baseURL }) => {
  const staff = await staffContext(baseURL!);
  try {
    for (const data of [{}, { confirm: "revoke" }, { confirm: "yes" }]) {
      const refused = await staff.delete("/api/staff/providers/offblocks/credentials", { data });
      expect(refused.status(), JSON.stringify(data)).toBe(400);
      expect(["invalid_request", "confirmation_required"]).toContain((await errorOf(refused)).code);
    }
    expect((await status(staff)).offblocks.revoked).toBe(false);

    await browserAsStaff(page.context(), staff);
    await page.goto("/staff/providers");
    const revoke = page.getByRole("button", { name: "Revoke credentials" });
    await expect(revoke).toBeDisabled();
    await page.getByLabel("Type REVOKE to confirm").fill("revoke");
    await expect(revoke).toBeDisabled();
    await page.getByLabel("Type REVOKE to confirm").fill("REVOKE");
    await expect(revoke).toBeEnabled();
    // not clicked: a real revoke ends OffBlocks for every spec after this one (see lib/staff/providers.test.ts)
    expect((await status(staff)).offblocks.revoked).toBe(false);
  } finally {
    await staff.dispose();
  }
});

test("the sandbox simulator: staff reject a screening customer and move the clock; an early verify is OffBlocks' 409", async ({ page, baseURL }) => {
  const staff = await staffContext(baseURL!);
  try {
    // warm the route up (a first request may compile it) before the customer's short screening window
    expect((await staff.post(`/api/staff/simulator/customers/${CUSTOMER}/reject`, { data: {} })).status()).toBeLessThan(500);

    const { user, onboarding } = await userSignsOffblocks(baseURL!);
    const customerId = onboarding.steps.offblocks.customerId!;
    const rejected = await staff.post(`/api/staff/simulator/customers/${customerId}/reject`, { data: {} });
    expect(rejected.status(), await rejected.text()).toBe(200);
    expect(await rejected.json()).toEqual({ customerId, outcome: "reject", onboardingId: onboarding.id });
    await expect
      .poll(async () => ((await (await user.get("/api/onboarding")).json()) as Onboarding).steps.offblocks.status, { timeout: 15_000 })
      .toBe("rejected");
    await user.dispose();

    // the action is in the onboarding's timeline with the staff address
    const detail = await staff.get(`/api/staff/onboardings/${onboarding.id}`);
    expect(detail.status()).toBe(200);
    expect(JSON.stringify(await detail.json())).toContain(staffWallet.address);

    await browserAsStaff(page.context(), staff);
    await page.goto("/staff/providers");
    await expect(page.getByRole("heading", { name: "Sandbox simulator" })).toBeVisible();
    await page.getByLabel("OffBlocks customer id").fill(customerId);
    await page.getByRole("button", { name: "Verify customer" }).click();
    await expect(page.getByTestId("providers-message")).toContainText("That did not work");
    await expect(page.getByTestId("providers-message")).toHaveAttribute("role", "alert");
    await page.getByLabel("Advance the sandbox clock by (seconds)").fill("1");
    await page.getByRole("button", { name: "Advance clock" }).click();
    await expect(page.getByTestId("providers-message")).toContainText("Sandbox clock advanced");
  } finally {
    await staff.dispose();
  }
});
