import { expect, test } from "@playwright/test";

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
