/**
 * One address for the pages (lib/api/canonical-host.ts): a page opened under another host than PUBLIC_URL's —
 * here 127.0.0.1 for localhost — is sent to the same path on PUBLIC_URL before anything is signed, so signing
 * in works instead of ending in "This request comes from another site"; the API answers on any host.
 */
import { expect, test } from "@playwright/test";
import { connectSandboxWallet, expectStep, shot, signIn } from "./onboarding-steps";

test("a page opened under another host goes to PUBLIC_URL's, path and query kept, and signing in works there", async ({ page, request, baseURL }, testInfo) => {
  const other = baseURL!.replace("localhost", "127.0.0.1");
  expect(other).not.toBe(baseURL);

  const staffList = await request.get(`${other}/staff/onboardings?q=ben%40example`, { maxRedirects: 0 });
  expect(staffList.status()).toBe(308);
  expect(staffList.headers().location).toBe(`${baseURL}/staff/onboardings?q=ben%40example`);

  // the API is not redirected: an instance answers on its own address
  const session = await request.get(`${other}/api/auth/session`, { maxRedirects: 0 });
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({ signedIn: false });

  await page.goto(`${other}/`);
  await expect(page).toHaveURL(`${baseURL}/`);
  await expectStep(page, "connect");
  await connectSandboxWallet(page);
  await signIn(page);
  await expectStep(page, "offblocks");
  await shot(page, testInfo, "signed-in-after-host-redirect");
});
