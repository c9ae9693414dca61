/**
 * The staff API (/api/staff/*) over HTTP against the running app: every route refuses a caller without a
 * session (401) and a wallet that is not staff (403); the staff wallet — STAFF_ADDRESSES in
 * playwright.config.ts is the address of STAFF_PRIVATE_KEY (e2e/api-helpers.ts) — lists, searches, reads the detail and
 * the metrics, exports CSV and follows the live stream while a user onboards, resuming it with Last-Event-ID.
 */
import type { APIRequestContext } from "@playwright/test";
import { errorOf, expect, newWallet, originContext, signIn, staffWallet, test } from "./api-helpers";
import { openStream } from "./staff-stream-reader";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const ROUTES = [
  "/api/staff/onboardings",
  `/api/staff/onboardings/${UNKNOWN_ID}`,
  "/api/staff/metrics",
  "/api/staff/stream",
  "/api/staff/onboardings.csv",
  "/api/staff/sessions",
] as const;

interface Item {
  id: string;
  address: string;
  status: string;
  email: string | null;
  steps: { offblocks: { status: string; customerId?: string } };
}

/** A user who signed in and started onboarding (OffBlocks customer created, challenge issued). */
async function onboardedUser(baseURL: string): Promise<{ address: string; id: string; customerId: string }> {
  const user = await originContext(baseURL);
  try {
    const wallet = newWallet();
    await signIn(user, baseURL, wallet);
    const response = await user.post("/api/onboarding", { data: {} });
    expect(response.status(), await response.text()).toBe(201);
    const body = (await response.json()) as Item;
    return { address: wallet.address, id: body.id, customerId: body.steps.offblocks.customerId! };
  } finally {
    await user.dispose();
  }
}

test("every staff route answers 401 without a session", async ({ request }) => {
  for (const route of ROUTES) {
    const response = await request.get(route);
    expect(response.status(), route).toBe(401);
    expect(await errorOf(response), route).toMatchObject({ code: "not_signed_in" });
  }
});

test("every staff route answers 403 to a wallet that is not staff", async ({ request, baseURL }) => {
  await signIn(request, baseURL!, newWallet());
  expect(await (await request.get("/api/auth/session")).json()).toMatchObject({ isStaff: false });
  for (const route of ROUTES) {
    const response = await request.get(route);
    expect(response.status(), route).toBe(403);
    expect(await errorOf(response), route).toMatchObject({ code: "not_staff" });
  }
});

test("a staff wallet lists, searches, reads the detail and metrics, and exports CSV", async ({ request, baseURL }) => {
  const user = await onboardedUser(baseURL!);
  const signedIn = await signIn(request, baseURL!, staffWallet);
  expect(await signedIn.json()).toMatchObject({ address: staffWallet.address, isStaff: true });

  const list = await request.get("/api/staff/onboardings?limit=1");
  expect(list.status()).toBe(200);
  const first = (await list.json()) as { items: Item[]; nextCursor: string | null };
  expect(first.items).toHaveLength(1);
  expect(first.items[0]).toMatchObject({ id: user.id, address: user.address }); // newest first

  for (const q of [user.address.toLowerCase(), user.customerId]) {
    const found = (await (await request.get(`/api/staff/onboardings?q=${encodeURIComponent(q)}`)).json()) as { items: Item[]; nextCursor: string | null };
    expect(
      found.items.map((i) => i.id),
      q,
    ).toEqual([user.id]);
    expect(found.nextCursor).toBeNull();
  }
  const pending = (await (await request.get("/api/staff/onboardings?status=pending&provider=offblocks&limit=200")).json()) as { items: Item[] };
  expect(pending.items.map((i) => i.id)).toContain(user.id);
  expect(pending.items.every((i) => i.status === "pending")).toBe(true);

  if (first.nextCursor) {
    const next = (await (await request.get(`/api/staff/onboardings?limit=1&cursor=${first.nextCursor}`)).json()) as { items: Item[] };
    expect(next.items.map((i) => i.id)).not.toContain(user.id);
  }

  const detail = await request.get(`/api/staff/onboardings/${user.id}`);
  expect(detail.status()).toBe(200);
  const timeline = (await detail.json()) as Item & { events: { id: number; type: string; provider: string | null; data: Record<string, unknown> }[] };
  expect(timeline).toMatchObject({ id: user.id, address: user.address, steps: { offblocks: { status: "challenge_issued", customerId: user.customerId } } });
  expect(timeline.events[0]).toMatchObject({ type: "status_change", provider: null, data: { from: null, to: "pending" } });
  expect(timeline.events.some((e) => e.provider === "offblocks" && e.data.operation === "create_customer")).toBe(true);
  const missing = await request.get(`/api/staff/onboardings/${UNKNOWN_ID}`);
  expect(missing.status()).toBe(404);
  expect(await errorOf(missing)).toMatchObject({ code: "onboarding_not_found" });

  const metrics = await request.get(`/api/staff/metrics?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}`);
  expect(metrics.status()).toBe(200);
  const numbers = (await metrics.json()) as { funnel: Record<string, number>; byStatus: Record<string, number>; stuck: number };
  expect(numbers.funnel.started).toBeGreaterThanOrEqual(1);
  expect(numbers.funnel.signedIn).toBeGreaterThanOrEqual(1);
  expect(Object.keys(numbers.funnel).sort()).toEqual(["active", "bloqLinked", "offblocksVerified", "signedIn", "started", "unblockSession"]);
  expect(numbers.byStatus.pending).toBeGreaterThanOrEqual(1);
  expect(numbers.stuck).toBe(0);

  const csv = await request.get(`/api/staff/onboardings.csv?q=${user.address}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="onboardings-.*\.csv"$/);
  const lines = (await csv.text()).trimEnd().split("\r\n");
  expect(lines[0]).toMatch(/^id,address,chain_id,status,email,offblocks_status/);
  expect(lines.slice(1)).toHaveLength(1);
  expect(lines[1]).toContain(`${user.id},${user.address},300,pending,,challenge_issued,${user.customerId}`);

  for (const [query, code] of [
    ["status=done", "invalid_status"],
    ["provider=stripe", "invalid_provider"],
    ["from=yesterday", "invalid_time"],
    ["limit=0", "invalid_limit"],
    ["cursor=nonsense", "invalid_cursor"],
  ] as const) {
    const response = await request.get(`/api/staff/onboardings?${query}`);
    expect(response.status(), query).toBe(400);
    expect(await errorOf(response), query).toMatchObject({ code });
    const exported = await request.get(`/api/staff/onboardings.csv?${query}`);
    expect(exported.status(), `csv ${query}`).toBe(query.startsWith("limit") || query.startsWith("cursor") ? 200 : 400);
  }
  const badRange = await request.get("/api/staff/metrics?from=2026-02-01&to=2026-01-01");
  expect(badRange.status()).toBe(400);
  expect(await errorOf(badRange)).toMatchObject({ code: "invalid_range" });
});

async function staffCookie(request: Parameters<typeof signIn>[0], baseURL: string): Promise<string> {
  await signIn(request, baseURL, staffWallet);
  return (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

test("the stream delivers an event of a user who starts onboarding while it is open", async ({ request, baseURL }) => {
  const stream = await openStream(baseURL!, await staffCookie(request, baseURL!));
  try {
    const user = await onboardedUser(baseURL!);
    await stream.until(() => stream.events(user.id).length > 0, "the user's first event");
    expect(stream.events(user.id)[0]).toMatchObject({ type: "status_change" });
  } finally {
    stream.close();
  }
});

test("a reconnect with Last-Event-ID gets exactly what was written while it was away; an id it never issued starts afresh", async ({ request, baseURL }) => {
  const cookie = await staffCookie(request, baseURL!);
  const first = await openStream(baseURL!, cookie);
  const left = first.startId()!;
  first.close();
  const away = await onboardedUser(baseURL!); // written while no stream is open
  const marker = async (stream: Awaited<ReturnType<typeof openStream>>) => {
    // a later user's events come after everything before them: once they are in, so is all that precedes
    const later = await onboardedUser(baseURL!);
    await stream.until(() => stream.events(later.id).length > 0, "a later user's event");
  };

  const back = await openStream(baseURL!, cookie, left);
  await marker(back);
  const missed = back.events(away.id);
  back.close();
  expect(missed.length).toBeGreaterThan(1);
  expect(missed[0]).toMatchObject({ type: "status_change" });

  const afterFirst = await openStream(baseURL!, cookie, missed[0]!.sseId);
  await marker(afterFirst);
  afterFirst.close();
  expect(afterFirst.events(away.id)).toEqual(missed.slice(1));

  for (const bad of ["not-an-id", "18446744073709551616-1", `18446744073709551615-${missed[0]!.id}`]) {
    const fresh = await openStream(baseURL!, cookie, bad);
    await marker(fresh);
    fresh.close();
    expect(fresh.events(away.id), bad).toEqual([]);
  }
});

test("staff see the live sessions and end one, or all of a wallet's; each is a staff action", async ({ request, baseURL }) => {
  await signIn(request, baseURL!, staffWallet);
  const wallet = newWallet();
  const phone = await originContext(baseURL!);
  const laptop = await originContext(baseURL!);
  await signIn(phone, baseURL!, wallet);
  await signIn(laptop, baseURL!, wallet);

  const listed = await request.get(`/api/staff/sessions?address=${wallet.address.toLowerCase()}`);
  expect(listed.status(), await listed.text()).toBe(200);
  const { items } = (await listed.json()) as { items: { id: string; address: string; isStaff: boolean; current: boolean; userAgent: string | null }[] };
  expect(items).toHaveLength(2);
  expect(items.every((item) => item.address === wallet.address && !item.isStaff && !item.current)).toBe(true);
  const mine = (await (await request.get("/api/staff/sessions")).json()) as { items: { address: string; current: boolean; isStaff: boolean }[] };
  expect(mine.items.find((item) => item.current)).toMatchObject({ address: staffWallet.address, isStaff: true });

  const one = await request.post("/api/staff/sessions/end", { data: { sessionId: items[0]!.id } });
  expect(one.status(), await one.text()).toBe(200);
  expect(await one.json()).toEqual({ ended: 1 });
  const signedIn = async (context: APIRequestContext) => ((await (await context.get("/api/auth/session")).json()) as { signedIn: boolean }).signedIn;
  const phoneEnded = !(await signedIn(phone));
  const laptopEnded = !(await signedIn(laptop));
  expect([phoneEnded, laptopEnded].filter(Boolean)).toHaveLength(1);
  const again = await request.post("/api/staff/sessions/end", { data: { sessionId: items[0]!.id } });
  expect(again.status()).toBe(404);
  expect(await errorOf(again)).toMatchObject({ code: "session_not_found" });

  await signIn(phoneEnded ? phone : laptop, baseURL!, wallet);
  const all = await request.post("/api/staff/sessions/end", { data: { address: wallet.address } });
  expect(await all.json()).toEqual({ ended: 2 });
  expect(await signedIn(phone)).toBe(false);
  expect(await signedIn(laptop)).toBe(false);
  expect(await signedIn(request)).toBe(true);

  for (const data of [{}, { sessionId: "nope" }, { address: "0x1234" }, { sessionId: items[0]!.id, address: wallet.address }]) {
    const bad = await request.post("/api/staff/sessions/end", { data });
    expect(bad.status(), JSON.stringify(data)).toBe(400);
  }
  expect((await request.get("/api/staff/sessions?address=nope")).status()).toBe(400);

  await phone.dispose();
  await laptop.dispose();
});
