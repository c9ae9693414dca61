import { expect, test } from "@playwright/test";
import { sandboxControl, SANDBOX_URL } from "./api-helpers";

test("a new visitor sees what will happen and that the providers are up", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Prove you own your wallet");
  const providers = page.getByRole("region", { name: "Who will ask for a signature" });
  for (const name of ["OffBlocks", "Unblock", "Bloq — staking"]) {
    const provider = providers.getByRole("listitem").filter({ hasText: name });
    await expect(provider.getByText(name, { exact: true })).toBeVisible();
    await expect(provider.getByText("available")).toBeVisible();
  }
  await expect(page.getByTestId("service-status")).toContainText("sandbox mode");
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
});

test("a first visit gets the Connect button in the server's HTML and asks the server nothing more", async ({ page, request }) => {
  const html = await (await request.get("/", { headers: { cookie: "" } })).text();
  expect(html).toContain("Connect wallet");
  expect(html).not.toContain("Checking where you left off");
  const asked: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) asked.push(new URL(r.url()).pathname);
  });
  const failed: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") failed.push(message.text());
  });
  await page.goto("/");
  await expect(page.getByRole("button", { name: "Connect wallet" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(asked).toEqual([]);
  expect(failed).toEqual([]);
});

test("on a 375 px phone the promise and the Connect button are above the fold; the details open on demand", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/");
  const connect = page.getByRole("button", { name: "Connect wallet" });
  await expect(connect).toBeVisible();
  const box = (await connect.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(812);
  await page.screenshot({ path: testInfo.outputPath("home-375-first-screen.png") });
  const details = page.getByTestId("what-happens");
  await expect(details.getByText("The first signature proves to us")).toBeHidden();
  await details.getByText("What happens, step by step").click();
  await expect(details.getByText(/The first signature proves to us/)).toBeVisible();
});

test("the health endpoint reports the database and the providers", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", db: "ok", providers: { offblocks: "ok", unblock: "ok", bloq: "ok" } });
});

test("every page carries the security headers", async ({ request }) => {
  const response = await request.get("/");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("the page and /api/health never wait on a provider: a slow or failing OffBlocks shows at the next background check", async ({ page, request }) => {
  type Health = { status: string; checkedAt: string | null; providers: { offblocks: string } };
  const health = async () => (await (await request.get("/api/health")).json()) as Health;
  // a check under way when a fault changes may still report what it found before: wait for the state itself
  const offblocksBecomes = (state: string) => expect.poll(async () => (await health()).providers.offblocks, { timeout: 25_000, intervals: [250] }).toBe(state);
  try {
    // OffBlocks answers its health request 8 s late: nothing a visitor asks for waits on it
    await sandboxControl(request, "/faults", { provider: "offblocks", path: "/webhooks", method: "GET", latencyMs: 8_000, rate: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // a background check is now under way, waiting
    let started = Date.now();
    expect((await request.get("/api/health")).status()).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
    started = Date.now();
    await page.goto("/");
    await expect(page.getByRole("button", { name: /connect/i }).first()).toBeVisible();
    expect(Date.now() - started).toBeLessThan(4_000);

    // OffBlocks down: the next check says so, on the API and on the page
    await request.delete(`${SANDBOX_URL}/_sandbox/faults`);
    await sandboxControl(request, "/faults", { provider: "offblocks", path: "/webhooks", method: "GET", status: 503, rate: 1 });
    await offblocksBecomes("down");
    expect(await health()).toMatchObject({ status: "degraded", providers: { offblocks: "down" } });
    await page.reload();
    await expect(page.getByRole("region", { name: "Who will ask for a signature" }).getByRole("listitem").filter({ hasText: "OffBlocks" })).toContainText(
      "unreachable",
    );
  } finally {
    await request.delete(`${SANDBOX_URL}/_sandbox/faults`);
  }
  await offblocksBecomes("ok");
  expect(await health()).toMatchObject({ status: "ok" });
});
