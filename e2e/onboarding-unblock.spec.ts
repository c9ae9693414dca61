/**
 * The Unblock step (issue 4) in the browser, against the sandbox's Unblock emulator: after OffBlocks, the
 * person gives name, email and country, signs in to Unblock — with the wallet (a SIWE message naming
 * Unblock's domain) or with the code Unblock emails (read here from the sandbox mailbox) — and opens a
 * virtual account. An Unblock session that ended (4 h on the sandbox clock) is signed in again, and the
 * account asked for is opened right after. axe runs on every state; one flow runs at 375 px.
 */
import { expectNoSeriousViolations } from "./axe";
import { expect, test, type Page } from "@playwright/test";
import { verifyMessage } from "viem";
import { test as walletTest } from "./fixtures/injected-wallet";
import { connectSandboxWallet, expectActive, SANDBOX_URL, sandboxControl, shot, signIn, signOffblocksChallenge, walletLayerLoaded } from "./onboarding-steps";

const unblockHeading = (page: Page, name: string | RegExp) => page.getByTestId("unblock-step").getByRole("heading", { level: 2, name });

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Landing → Sandbox wallet → sign in → OffBlocks signed and active: the Unblock form is next. */
async function reachUnblock(page: Page): Promise<void> {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  await signOffblocksChallenge(page);
  await expectActive(page);
  await expect(unblockHeading(page, "Your details for Unblock")).toBeVisible({ timeout: 15_000 });
}

function uniqueEmail(tag: string): string {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function fillDetails(page: Page, details: { firstName: string; lastName: string; email: string; country: string }): Promise<void> {
  await page.getByLabel("First name").fill(details.firstName);
  await page.getByLabel("Last name").fill(details.lastName);
  await page.getByLabel("Email", { exact: true }).fill(details.email);
  await page.getByLabel("Country of residence").selectOption(details.country);
}

async function submitDetails(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Continue to Unblock" }).click();
  await expect(unblockHeading(page, "Sign in to Unblock")).toBeVisible({ timeout: 20_000 });
  await expect(unblockHeading(page, "Sign in to Unblock")).toBeFocused();
}

/** "Sign with wallet": the message is shown before the wallet is asked, then signed. */
async function signInWithWallet(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Sign with wallet", exact: true }).click();
  const message = page.getByTestId("unblock-message");
  await expect(message).toBeVisible({ timeout: 20_000 });
  const text = (await message.textContent()) ?? "";
  await expect(page.getByRole("button", { name: "Sign the message" })).toBeEnabled({ timeout: 20_000 });
  return text;
}

async function latestCode(page: Page, email: string): Promise<string> {
  let code = "";
  await expect
    .poll(async () => {
      const response = await page.request.get(`${SANDBOX_URL}/_sandbox/mailbox?email=${encodeURIComponent(email)}`);
      if (!response.ok()) return "";
      const body = (await response.json()) as { items?: { code?: string; body?: string }[] };
      const last = body.items?.at(-1);
      code = last?.code ?? /\b(\d{4,6})\b/.exec(last?.body ?? "")?.[1] ?? "";
      return code;
    })
    .toMatch(/^\d{4,6}$/);
  return code;
}

test.afterEach(async ({ page }) => {
  await sandboxControl(page, "DELETE", "/faults");
});

test("the wallet way: details (with a field the server refuses), sign Unblock's message, a EUR account with IBAN and BIC", async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(baseURL ?? "").origin });
  await reachUnblock(page);
  await shot(page, testInfo, "unblock-01-form");
  await expectNoSeriousViolations(page, "Unblock form");

  // empty: the page says what is missing, field by field, without asking the server
  await page.getByRole("button", { name: "Continue to Unblock" }).click();
  await expect(page.getByTestId("unblock-firstName-error")).toHaveText("Enter your first name.");
  await expect(page.getByTestId("unblock-country-error")).toHaveText("Choose your country.");
  await expect(page.getByLabel("First name")).toBeFocused();

  // a one-letter first name: Unblock's rule (2–48 Latin letters) comes back on that field, the rest is kept
  const email = uniqueEmail("ada");
  await fillDetails(page, { firstName: "A", lastName: "Lovelace", email, country: "DE" });
  await page.getByRole("button", { name: "Continue to Unblock" }).click();
  await expect(page.getByTestId("unblock-firstName-error")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel("First name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Last name")).toHaveValue("Lovelace");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(email);
  await expect(page.getByLabel("Country of residence")).toHaveValue("DE");
  await shot(page, testInfo, "unblock-02-field-error");
  await expectNoSeriousViolations(page, "Unblock form with a field error");

  await page.getByLabel("First name").fill("Ada");
  await submitDetails(page);
  await expect(page.getByTestId("unblock-step")).toContainText(email);
  await shot(page, testInfo, "unblock-03-two-ways");
  await expectNoSeriousViolations(page, "Unblock sign-in choice");

  const message = await signInWithWallet(page);
  expect(message).toContain("wants you to sign in with your Ethereum account");
  expect(message).toContain("Chain ID: 80002");
  const domain = /^(\S+) wants you/.exec(message.trim())?.[1];
  expect(domain).toBeTruthy();
  expect(domain).not.toBe(new URL(page.url()).host);
  await expect(page.getByTestId("unblock-domain-explainer")).toContainText(`It names ${domain}, Unblock’s address, not this site`);
  await shot(page, testInfo, "unblock-04-message");
  await expectNoSeriousViolations(page, "Unblock message");

  await page.getByRole("button", { name: "Sign the message" }).click();
  await expect(unblockHeading(page, "Choose your account")).toBeFocused({ timeout: 20_000 });
  await shot(page, testInfo, "unblock-05-choose-account");
  await expectNoSeriousViolations(page, "Unblock currency choice");

  await page.getByRole("button", { name: "Open my EUR account" }).click();
  const account = page.getByTestId("unblock-account");
  await expect(account).toHaveAttribute("data-currency", "EUR", { timeout: 20_000 });
  await expect(unblockHeading(page, "Your EUR account is open")).toBeFocused();
  await expect(page.getByTestId("unblock-iban")).toHaveText(/^[A-Z]{2}\d{2}( [A-Z0-9]{1,4})+$/);
  await expect(page.getByTestId("unblock-bic")).toHaveText(/^[A-Z0-9]{8,11}$/);
  await expect(page.getByTestId("unblock-account-holder")).toContainText("Ada");
  await page.getByRole("button", { name: "Copy IBAN" }).click();
  await expect(account.getByText("Copied", { exact: true })).toBeVisible();
  const iban = ((await page.getByTestId("unblock-iban").textContent()) ?? "").replace(/\s+/g, "");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(iban);
  await shot(page, testInfo, "unblock-06-eur-account");
  await expectNoSeriousViolations(page, "Unblock EUR account");

  // a reload comes back to the account, without the wallet layer
  await page.reload();
  await expect(page.getByTestId("unblock-iban")).toHaveText(/^[A-Z]{2}\d{2}/, { timeout: 20_000 });
  expect(((await page.getByTestId("unblock-iban").textContent()) ?? "").replace(/\s+/g, "")).toBe(iban);
});

test.describe("on a 375 px wide phone", () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test("the email-code way: a wrong code is refused and kept, the emailed code signs in, a GBP account", async ({ page }, testInfo) => {
    await reachUnblock(page);
    const email = uniqueEmail("grace");
    await fillDetails(page, { firstName: "Grace", lastName: "Hopper", email, country: "GB" });
    await expectNoSidewaysScroll(page);
    await shot(page, testInfo, "unblock-phone-01-form");
    await submitDetails(page);

    await page.getByRole("button", { name: "Email me a code" }).click();
    const codeInput = page.getByLabel("Code from the email");
    await expect(codeInput).toBeFocused({ timeout: 20_000 });
    await expect(page.getByTestId("unblock-code-form")).toContainText(email);
    const code = await latestCode(page, email);

    // a reload while the email is on its way comes back to the code field (the onboarding says a code was sent)
    await page.reload();
    await expect(codeInput).toBeVisible({ timeout: 20_000 });
    expect(await walletLayerLoaded(page)).toBe(false);

    // a wrong code: its own message on the field, the code stays to be corrected
    const wrong = code === "000000" ? "111111" : "000000".slice(0, code.length);
    await codeInput.fill(wrong);
    await page.getByRole("button", { name: "Verify code" }).click();
    await expect(page.getByTestId("unblock-code-error")).toContainText("That code is not right", { timeout: 20_000 });
    await expect(codeInput).toHaveValue(wrong);
    await expectNoSidewaysScroll(page);
    await shot(page, testInfo, "unblock-phone-02-wrong-code");
    await expectNoSeriousViolations(page, "Unblock wrong code");

    await codeInput.fill(code);
    await page.getByRole("button", { name: "Verify code" }).click();
    await expect(unblockHeading(page, "Choose your account")).toBeFocused({ timeout: 20_000 });
    // a UK resident gets pounds preselected
    await expect(page.getByRole("radio", { name: /Pound sterling \(GBP\)/ })).toBeChecked();
    await page.getByRole("button", { name: "Open my GBP account" }).click();
    await expect(page.getByTestId("unblock-account")).toHaveAttribute("data-currency", "GBP", { timeout: 20_000 });
    await expect(page.getByTestId("unblock-sort-code")).toHaveText(/^\d{2}-\d{2}-\d{2}$/);
    await expect(page.getByTestId("unblock-account-number")).toHaveText(/^\d{8}$/);
    await expect(page.getByRole("button", { name: "Copy account number" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot(page, testInfo, "unblock-phone-03-gbp-account");
    await expectNoSeriousViolations(page, "Unblock GBP account (phone)");
  });
});

test("an Unblock session that ended (4 h on the sandbox clock) is signed in again, and the EUR account opens right after", async ({ page }, testInfo) => {
  await reachUnblock(page);
  await fillDetails(page, { firstName: "Alan", lastName: "Turing", email: uniqueEmail("alan"), country: "GB" });
  await submitDetails(page);
  const first = await signInWithWallet(page);
  await page.getByRole("button", { name: "Sign the message" }).click();
  await expect(unblockHeading(page, "Choose your account")).toBeVisible({ timeout: 20_000 });

  // 4 h and a second later at Unblock: the session we hold has ended
  await sandboxControl(page, "POST", "/clock", { advanceSeconds: 14_401 });
  try {
    // a UK resident who wants euros (pounds are preselected for the UK)
    await page.getByText("Euro (EUR)").click();
    await page.getByRole("button", { name: "Open my EUR account" }).click();
    await expect(unblockHeading(page, "Sign in to Unblock again")).toBeFocused({ timeout: 20_000 });
    await expect(page.getByTestId("unblock-error")).toContainText("Your Unblock session has ended");
    await expect(page.getByTestId("unblock-pending")).toContainText("we open your EUR account");
    // the app's own sign-in is untouched
    await expect(page.getByTestId("signed-in-as")).toBeVisible();
    await shot(page, testInfo, "unblock-07-session-ended");
    await expectNoSeriousViolations(page, "Unblock session ended");

    // a reload keeps the situation and the account asked for
    await page.reload();
    await expect(unblockHeading(page, "Sign in to Unblock again")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("unblock-error")).toContainText("Your Unblock session has ended");
    await expect(page.getByTestId("unblock-pending")).toContainText("we open your EUR account");

    // still 4 h ahead at Unblock: the new message is stamped with Unblock's clock (its Date header), so it is
    // accepted; the page signs in again and then opens the account asked for
    const second = await signInWithWallet(page);
    expect(second).not.toBe(first);
    await page.getByRole("button", { name: "Sign the message" }).click();
    await expect(page.getByTestId("unblock-account")).toHaveAttribute("data-currency", "EUR", { timeout: 20_000 });
    await expect(page.getByTestId("unblock-iban")).toBeVisible();
    await shot(page, testInfo, "unblock-08-account-after-sign-in-again");
  } finally {
    // leave the sandbox on real time for the specs that follow
    await sandboxControl(page, "POST", "/clock", { advanceSeconds: -14_401 });
  }
});

test("when Unblock is down the person is told so, nothing is lost, and a retry opens the account once it is back", async ({ page }, testInfo) => {
  await reachUnblock(page);
  await fillDetails(page, { firstName: "Katherine", lastName: "Johnson", email: uniqueEmail("katherine"), country: "FR" });
  await submitDetails(page);
  await signInWithWallet(page);
  await page.getByRole("button", { name: "Sign the message" }).click();
  await expect(unblockHeading(page, "Choose your account")).toBeVisible({ timeout: 20_000 });
  await page.getByText("Pound sterling (GBP)").click();

  await sandboxControl(page, "POST", "/faults", { provider: "unblock", path: "/user/bank-account", status: 503, rate: 1 });
  await page.getByRole("button", { name: "Open my GBP account" }).click();
  const error = page.getByTestId("unblock-error");
  await expect(error).toContainText("Unblock is not answering right now", { timeout: 45_000 });
  await expect(unblockHeading(page, "Choose your account")).toBeVisible();
  await expect(page.getByRole("radio", { name: /Pound sterling/ })).toBeChecked();
  await shot(page, testInfo, "unblock-09-unblock-down");
  await expectNoSeriousViolations(page, "Unblock down");

  await sandboxControl(page, "DELETE", "/faults");
  await error.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("unblock-account")).toHaveAttribute("data-currency", "GBP", { timeout: 20_000 });
});

walletTest(
  "with an injected wallet: a declined Unblock signature says so and sends nothing; signing the shown message gets the account",
  async ({ page, wallet }, testInfo) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const modal = page.getByRole("dialog");
    await modal.getByRole("button", { name: /Test Wallet/ }).click();
    await expect(modal).toBeHidden({ timeout: 15_000 });
    await signIn(page);
    await signOffblocksChallenge(page);
    await expect(unblockHeading(page, "Your details for Unblock")).toBeVisible({ timeout: 15_000 });
    await fillDetails(page, { firstName: "Mary", lastName: "Jackson", email: uniqueEmail("mary"), country: "NL" });
    await submitDetails(page);

    const message = await signInWithWallet(page);
    wallet.rejectNext("personal_sign");
    await page.getByRole("button", { name: "Sign the message" }).click();
    const error = page.getByTestId("unblock-error");
    await expect(error).toContainText("Signature cancelled");
    await expect(error).toContainText("nothing was sent to Unblock");
    await expect(page.getByTestId("unblock-message")).toHaveText(message);
    await shot(page, testInfo, "unblock-10-signature-declined");

    await page.getByRole("button", { name: "Sign the message" }).click();
    await expect(unblockHeading(page, "Choose your account")).toBeVisible({ timeout: 20_000 });
    // the wallet signed exactly the text shown, with the signed-in account
    const signed = wallet.signed.at(-1);
    expect(signed).toMatchObject({ method: "personal_sign", message: message.trim(), address: wallet.address });
    if (signed?.method === "personal_sign")
      expect(await verifyMessage({ address: signed.address, message: signed.message, signature: signed.signature })).toBe(true);
    await page.getByRole("button", { name: "Open my EUR account" }).click();
    await expect(page.getByTestId("unblock-account")).toHaveAttribute("data-currency", "EUR", { timeout: 20_000 });
  },
);

test("an emailed code that ran out: the form says so, one 'Email me a new code' gets a code that works", async ({ page }, testInfo) => {
  // the page's own clock, to move it past the code's 10 minutes (it runs on from now until then)
  await page.clock.install();
  await reachUnblock(page);
  const email = uniqueEmail("hedy");
  await fillDetails(page, { firstName: "Hedy", lastName: "Lamarr", email, country: "AT" });
  await submitDetails(page);
  await page.getByRole("button", { name: "Email me a code" }).click();
  const codeInput = page.getByLabel("Code from the email");
  await expect(codeInput).toBeFocused({ timeout: 20_000 });
  await expect(page.getByTestId("unblock-code-validity")).toContainText("It works until");
  const code = await latestCode(page, email);

  // 11 minutes later, at Unblock and in the page
  await sandboxControl(page, "POST", "/clock", { advanceSeconds: 660 });
  try {
    await page.clock.fastForward("11:00");
    await expect(page.getByTestId("unblock-code-validity")).toContainText("has expired. Ask for a new one below.");
    await codeInput.fill(code);
    await page.getByRole("button", { name: "Verify code" }).click();
    await expect(page.getByTestId("unblock-error")).toContainText("That code has expired", { timeout: 20_000 });
    // one way to a new code, not two
    await expect(page.getByRole("button", { name: "Email me a new code" })).toHaveCount(1);
    await shot(page, testInfo, "unblock-code-expired");

    await page.getByRole("button", { name: "Email me a new code" }).click();
    await expect(codeInput).toBeFocused({ timeout: 20_000 });
    await expect(page.getByTestId("unblock-code-validity")).toContainText("It works until");
    let fresh = code;
    await expect.poll(async () => (fresh = await latestCode(page, email))).not.toBe(code);
    await codeInput.fill(fresh);
    await page.getByRole("button", { name: "Verify code" }).click();
    await expect(unblockHeading(page, "Choose your account")).toBeVisible({ timeout: 20_000 });
    // an Austrian resident: euros preselected
    await expect(page.getByRole("radio", { name: /Euro \(EUR\)/ })).toBeChecked();
  } finally {
    await sandboxControl(page, "POST", "/clock", { advanceSeconds: -660 });
  }
});

test("sandbox mode: the code step links to the sandbox mailbox, a page of the app that shows the emailed code", async ({ page }, testInfo) => {
  await reachUnblock(page);
  const email = uniqueEmail("barbara");
  await fillDetails(page, { firstName: "Barbara", lastName: "Liskov", email, country: "US" });
  await submitDetails(page);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await expect(page.getByLabel("Code from the email")).toBeFocused({ timeout: 20_000 });

  const opened = page.context().waitForEvent("page");
  await page.getByRole("link", { name: "Open the sandbox mailbox" }).click();
  const mailbox = await opened;
  await mailbox.waitForLoadState();
  await expect(mailbox).toHaveTitle("Sandbox mailbox · Wallet onboarding");
  await expect(mailbox.getByLabel("Email address")).toHaveValue(email);
  const shown = mailbox.getByTestId("mailbox-code").first();
  await expect(shown).toHaveText(/^\d{4,6}$/);
  expect(await shown.textContent()).toBe(await latestCode(page, email));
  await mailbox.setViewportSize({ width: 375, height: 812 });
  await expectNoSidewaysScroll(mailbox);
  await shot(mailbox, testInfo, "sandbox-mailbox-375");
  const code = (await shown.textContent()) ?? "";
  await mailbox.close();

  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(unblockHeading(page, "Choose your account")).toBeVisible({ timeout: 20_000 });
});
