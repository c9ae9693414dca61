/**
 * The optional Bloq step (issue 5) in the browser, against the sandbox's Bloq emulator: after OffBlocks, the
 * person links a staking account — Bloq's text is shown before the wallet opens, a reload resumes with the
 * same text, the signature links it and the page says when the link runs out — and a wallet Bloq does not
 * know (made unknown through the sandbox's user switch) gets Bloq's plain-words explanation and skips the
 * step; Bloq not answering (a sandbox fault) and a declined signature (the injected wallet) each say so and
 * offer the way on. axe runs on every state; the main states are checked at 375 px too.
 */
import { expectNoSeriousViolations } from "./axe";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { verifyMessage } from "viem";
import { test as walletTest } from "./fixtures/injected-wallet";
import { connectSandboxWallet, expectActive, sandboxControl, shot, signIn, signOffblocksChallenge } from "./onboarding-steps";

const bloqStep = (page: Page) => page.getByTestId("bloq-step");
const bloqHeading = (page: Page, name: string | RegExp) => bloqStep(page).getByRole("heading", { level: 2, name });

/** At 375 px nothing scrolls sideways (checked, and the Bloq card shot there), then back to the test's own width. */
async function atPhoneWidth(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scroll at 375 px on ${name}`).toBeLessThanOrEqual(0);
  // the Bloq card alone: a whole page at 375 px is too tall to read
  await bloqStep(page).screenshot({ path: testInfo.outputPath(`${name}.png`), animations: "disabled" });
  if (before) await page.setViewportSize(before);
}

/** Landing → Sandbox wallet → sign in → OffBlocks signed and active: the Bloq step is offered. */
async function reachBloq(page: Page): Promise<void> {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  await signOffblocksChallenge(page);
  await expectActive(page);
  await expect(bloqHeading(page, "Link your staking account (Bloq)")).toBeVisible({ timeout: 15_000 });
}

async function bloqStepOnServer(page: Page): Promise<{ status: string; tokenExpiresAt?: string; message?: string }> {
  const response = await page.request.get("/api/onboarding");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { steps: { bloq: { status: string; tokenExpiresAt?: string; message?: string } } }).steps.bloq;
}

test("linking the staking account with the Sandbox wallet: Bloq's text first, a reload resumes, signed → linked with its end time", async ({
  page,
}, testInfo) => {
  await reachBloq(page);
  await expect(bloqStep(page)).toHaveAttribute("data-status", "not_started");
  await expect(bloqStep(page)).toContainText("It is optional");
  await expect(bloqStep(page).getByRole("button", { name: "Skip this step" })).toBeVisible();
  // optional: the onboarding's own status is not held back by it
  await expect(page.getByTestId("offblocks-status")).toHaveAttribute("data-status", "active");
  await shot(page, testInfo, "bloq-01-offer");
  await expectNoSeriousViolations(page, "Bloq offer");
  await atPhoneWidth(page, testInfo, "bloq-01-offer-phone");

  await page.getByRole("button", { name: "Link staking account" }).click();
  const message = bloqStep(page).getByTestId("bloq-message");
  await expect(message).toBeVisible({ timeout: 20_000 });
  await expect(bloqHeading(page, "Sign Bloq’s message")).toBeFocused();
  const text = ((await message.textContent()) ?? "").trim();
  const address = ((await page.request.get("/api/auth/session").then((r) => r.json())) as { address: string }).address;
  expect(text.split("\n").slice(0, 4)).toEqual([
    "api.bloq.com wants you to sign in with your Ethereum account:",
    address,
    "",
    "Signing In With Ethereum on Bloq",
  ]);
  expect(text).toContain("Chain ID: 1\n");
  const explainer = bloqStep(page).getByTestId("bloq-explainer");
  await expect(explainer).toContainText("This is Bloq’s own text");
  await expect(explainer).toContainText("api.bloq.com");
  await expect(explainer).toContainText("chain 1 (Ethereum)");
  await expect(explainer).toContainText("not a transaction");
  expect(await bloqStepOnServer(page)).toEqual({ status: "message_issued", message: text });
  await expect(page.getByRole("button", { name: "Sign Bloq’s message" })).toBeEnabled({ timeout: 20_000 });
  await shot(page, testInfo, "bloq-02-message");
  await expectNoSeriousViolations(page, "Bloq message");
  await atPhoneWidth(page, testInfo, "bloq-02-message-phone");

  // a reload comes back to the same text, with the wallet back to sign it
  await page.reload();
  await expect(bloqStep(page).getByTestId("bloq-message")).toHaveText(text, { timeout: 20_000 });
  await expect(bloqHeading(page, "Sign Bloq’s message")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign Bloq’s message" })).toBeEnabled({ timeout: 20_000 });

  await page.getByRole("button", { name: "Sign Bloq’s message" }).click();
  await expect(bloqStep(page)).toHaveAttribute("data-status", "linked", { timeout: 20_000 });
  await expect(bloqHeading(page, "Your staking account is linked")).toBeFocused();
  const linked = await bloqStepOnServer(page);
  expect(linked.status).toBe("linked");
  expect(Date.parse(linked.tokenExpiresAt ?? "") - Date.now()).toBeGreaterThan(11 * 3600_000);
  const shown = await page.evaluate((iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }), linked.tokenExpiresAt ?? "");
  await expect(bloqStep(page).getByTestId("bloq-expires")).toHaveText(shown);
  await expect(bloqStep(page).getByRole("button", { name: "Skip this step" })).toHaveCount(0);
  await shot(page, testInfo, "bloq-03-linked");
  await expectNoSeriousViolations(page, "Bloq linked");
  await atPhoneWidth(page, testInfo, "bloq-03-linked-phone");

  // coming back shows the link and when it ends
  await page.reload();
  await expect(bloqHeading(page, "Your staking account is linked")).toBeVisible({ timeout: 20_000 });
  await expect(bloqStep(page).getByTestId("bloq-expires")).toHaveText(shown);
});

test("a wallet Bloq does not know: the plain-words explanation, nothing signed, and the person skips (kept across a reload)", async ({ page }, testInfo) => {
  await reachBloq(page);
  const address = ((await page.request.get("/api/auth/session").then((r) => r.json())) as { address: string }).address;
  await sandboxControl(page, "POST", "/bloq/users", { address, known: false });

  await page.getByRole("button", { name: "Link staking account" }).click();
  const explanation = bloqStep(page).getByTestId("bloq-not-allowed");
  await expect(explanation).toBeVisible({ timeout: 20_000 });
  await expect(bloqHeading(page, "This wallet cannot be linked to Bloq yet")).toBeFocused();
  // the server's own words, as they are
  await expect(explanation).toContainText("This wallet is not on Bloq's list of staking customers yet, so it cannot be linked.");
  await expect(explanation).toContainText("Ask the merchant to allow it at Bloq");
  await expect(explanation).toContainText("you can skip this step");
  await expect(bloqStep(page)).toContainText("Nothing was signed or sent from your wallet");
  await expect(bloqStep(page).getByTestId("bloq-message")).toHaveCount(0);
  expect(await bloqStepOnServer(page)).toEqual({ status: "not_allowed" });
  await shot(page, testInfo, "bloq-04-not-allowed");
  await expectNoSeriousViolations(page, "Bloq not allowed");
  await atPhoneWidth(page, testInfo, "bloq-04-not-allowed-phone");

  // a reload still explains it
  await page.reload();
  await expect(bloqStep(page).getByTestId("bloq-not-allowed")).toContainText("not on Bloq's list of staking customers", { timeout: 20_000 });

  await bloqStep(page).getByRole("button", { name: "Skip this step" }).click();
  await expect(bloqHeading(page, "Staking account: skipped")).toBeFocused();
  await expect(bloqStep(page)).toContainText("You skipped linking a Bloq staking account");
  // skipping keeps the person moving: the rest of the onboarding is where it was
  await expect(page.getByTestId("offblocks-status")).toHaveAttribute("data-status", "active");
  await expect(page.getByTestId("unblock-step")).toBeVisible();
  await shot(page, testInfo, "bloq-05-skipped");
  await expectNoSeriousViolations(page, "Bloq skipped");
  await atPhoneWidth(page, testInfo, "bloq-05-skipped-phone");

  await page.reload();
  await expect(bloqHeading(page, "Staking account: skipped")).toBeVisible({ timeout: 20_000 });
  // and the step can be taken up again: once Bloq knows the wallet, it links
  await sandboxControl(page, "POST", "/bloq/users", { address, known: true });
  await bloqStep(page).getByRole("button", { name: "Link it after all" }).click();
  await expect(bloqHeading(page, "This wallet cannot be linked to Bloq yet")).toBeFocused();
  await bloqStep(page).getByRole("button", { name: "Check again" }).click();
  await expect(bloqStep(page).getByTestId("bloq-message")).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Sign Bloq’s message" }).click();
  await expect(bloqStep(page)).toHaveAttribute("data-status", "linked", { timeout: 20_000 });
});

test("Bloq not answering: its own message and a way on, the step still skippable; asking again gets the message", async ({ page }, testInfo) => {
  await reachBloq(page);
  await sandboxControl(page, "POST", "/faults", { provider: "bloq", path: "/stake", status: 503, rate: 1 });
  try {
    await page.getByRole("button", { name: "Link staking account" }).click();
    const error = bloqStep(page).getByTestId("bloq-error");
    await expect(error).toContainText("Bloq is not answering right now", { timeout: 45_000 });
    await expect(error).toContainText("Nothing went wrong on your side");
    await expect(bloqStep(page).getByRole("button", { name: "Skip this step" })).toBeEnabled();
    await shot(page, testInfo, "bloq-07-bloq-down");
    await expectNoSeriousViolations(page, "Bloq down");
  } finally {
    await sandboxControl(page, "DELETE", "/faults");
  }
  await bloqStep(page).getByRole("button", { name: "Ask Bloq again" }).click();
  await expect(bloqStep(page).getByTestId("bloq-message")).toBeVisible({ timeout: 20_000 });
  await expect(bloqStep(page).getByTestId("bloq-error")).toHaveCount(0);
});

walletTest("with an injected wallet: a declined Bloq signature sends nothing; the wallet signs exactly the text shown", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await modal.getByRole("button", { name: /Test Wallet/ }).click();
  await expect(modal).toBeHidden({ timeout: 15_000 });
  await signIn(page);
  await signOffblocksChallenge(page);
  await expect(bloqHeading(page, "Link your staking account (Bloq)")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Link staking account" }).click();
  const message = bloqStep(page).getByTestId("bloq-message");
  await expect(message).toBeVisible({ timeout: 20_000 });
  const text = ((await message.textContent()) ?? "").trim();
  const signedBefore = wallet.signed.length;

  wallet.rejectNext("personal_sign");
  await page.getByRole("button", { name: "Sign Bloq’s message" }).click();
  const error = bloqStep(page).getByTestId("bloq-error");
  await expect(error).toContainText("Signature cancelled");
  await expect(error).toContainText("nothing was sent to Bloq");
  await expect(message).toHaveText(text);
  expect((await bloqStepOnServer(page)).status).toBe("message_issued");
  await shot(page, testInfo, "bloq-06-declined");
  await expectNoSeriousViolations(page, "Bloq signature declined");

  await page.getByRole("button", { name: "Sign Bloq’s message" }).click();
  await expect(bloqStep(page)).toHaveAttribute("data-status", "linked", { timeout: 20_000 });
  expect(wallet.signed.length).toBe(signedBefore + 1);
  const signed = wallet.signed.at(-1);
  expect(signed).toMatchObject({ method: "personal_sign", message: text, address: wallet.address });
  if (signed?.method === "personal_sign")
    expect(await verifyMessage({ address: signed.address, message: signed.message, signature: signed.signature })).toBe(true);
});
