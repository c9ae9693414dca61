/**
 * The onboarding with an injected wallet (EIP-1193 + EIP-6963, "Test Wallet"), the path a person with a
 * wallet extension takes: found in RainbowKit's modal, every signature made by the wallet's key in the
 * test process and checked here. The sandbox's clock is moved to expire an OffBlocks challenge.
 */
import type { Page, TestInfo } from "@playwright/test";
import { verifyMessage, type Address } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { parseSiweMessage } from "viem/siwe";
import { expect, test, type InjectedWallet, type SignedMessage } from "./fixtures/injected-wallet";
import { expectActive, expectStep, shot, stepHeading } from "./onboarding-steps";

const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

/** Landing → "Connect wallet" → RainbowKit's modal → "Test Wallet"; ends on the sign-in step. */
async function connectTestWallet(page: Page, testInfo?: TestInfo): Promise<void> {
  await expectStep(page, "connect");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await expect(modal).toBeVisible({ timeout: 15_000 });
  const testWallet = modal.getByRole("button", { name: /Test Wallet/ });
  await expect(testWallet).toBeVisible();
  // the wallet is both window.ethereum and announced over EIP-6963: it must be listed once
  await expect(modal.getByRole("button", { name: /Browser Wallet/ })).toHaveCount(0);
  if (testInfo) await shot(page, testInfo, "02-wallet-modal");
  await testWallet.click();
  await expect(modal).toBeHidden({ timeout: 15_000 });
  await expectStep(page, "signin");
  await expect(stepHeading(page, "Sign in with your wallet")).toBeVisible();
}

async function signIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^(Sign in|Try signing in again)$/ }).click();
  await expectStep(page, "offblocks");
  await expect(page.getByTestId("offblocks-challenge")).toBeVisible({ timeout: 20_000 });
}

async function challengeText(page: Page): Promise<string> {
  return ((await page.getByTestId("offblocks-challenge").textContent()) ?? "").trim();
}

/** The wallet's personal_sign entries, with the signature checked by viem against the signing address. */
async function verifiedMessages(wallet: InjectedWallet): Promise<Extract<SignedMessage, { method: "personal_sign" }>[]> {
  const messages = wallet.signed.filter((s): s is Extract<SignedMessage, { method: "personal_sign" }> => s.method === "personal_sign");
  for (const signed of messages) {
    expect(await verifyMessage({ address: signed.address, message: signed.message, signature: signed.signature }), signed.message).toBe(true);
  }
  return messages;
}

async function sessionAddress(page: Page): Promise<Address | undefined> {
  const response = await page.request.get("/api/auth/session");
  const state = (await response.json()) as { signedIn: boolean; address?: Address };
  return state.signedIn ? state.address : undefined;
}

async function advanceSandboxClock(page: Page, seconds: number): Promise<void> {
  const response = await page.request.post(`${SANDBOX}/_sandbox/clock`, { data: { advanceSeconds: seconds } });
  expect(response.status(), await response.text()).toBe(200);
}

test("a person with an injected wallet connects, signs in and verifies with OffBlocks up to active", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await expectStep(page, "connect");
  await shot(page, testInfo, "01-landing");

  await connectTestWallet(page, testInfo);
  await expect(page.getByTestId("wallet-summary")).toContainText("Test Wallet");
  await expect(page.getByTestId("wallet-summary")).toContainText("zkSync Sepolia");
  expect(wallet.isConnected(new URL(page.url()).origin)).toBe(true);
  await shot(page, testInfo, "03-sign-in");

  await signIn(page);
  expect(await sessionAddress(page)).toBe(wallet.address);
  const challenge = await challengeText(page);
  await shot(page, testInfo, "04-offblocks-challenge");

  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  await expectStep(page, "status");
  await expectActive(page);
  await expect(stepHeading(page, "You are verified")).toBeVisible();
  await shot(page, testInfo, "05-active");

  // two signatures, both by the wallet's key: the app's sign-in (this host) and OffBlocks' challenge (its host)
  const [appSignIn, offblocks, ...more] = await verifiedMessages(wallet);
  expect(more).toEqual([]);
  const appFields = parseSiweMessage(appSignIn?.message ?? "");
  expect(appFields).toMatchObject({ domain: new URL(page.url()).host, address: wallet.address, chainId: 300 });
  expect(offblocks?.message).toBe(challenge);
  const offblocksFields = parseSiweMessage(offblocks?.message ?? "");
  expect(offblocksFields.domain).not.toBe(appFields.domain);
  expect(offblocksFields).toMatchObject({ address: wallet.address, chainId: 300 });

  // a reload resumes on the status page
  await page.reload();
  await expectStep(page, "status");
  await expectActive(page);
});

test("the person rejects a signature in the wallet, then retries and gets through", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await connectTestWallet(page);

  // the sign-in message is declined
  wallet.rejectNext("personal_sign");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const signInError = page.getByTestId("signin-error");
  await expect(signInError).toContainText("Sign-in cancelled");
  await expect(signInError).toContainText("You declined the request in your wallet");
  await expectStep(page, "signin");
  expect(await sessionAddress(page)).toBeUndefined();
  await shot(page, testInfo, "01-sign-in-rejected");

  await signIn(page);
  await expect(signInError).toBeHidden();

  // the OffBlocks message is declined: nothing is sent, the same message can be signed again
  const challenge = await challengeText(page);
  wallet.rejectNext("personal_sign");
  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  const offblocksError = page.getByTestId("offblocks-error");
  await expect(offblocksError).toContainText("Signature cancelled");
  await expect(offblocksError).toContainText("nothing was sent to OffBlocks");
  await expectStep(page, "offblocks");
  expect(await challengeText(page)).toBe(challenge);
  await shot(page, testInfo, "02-offblocks-rejected");

  await page.getByRole("button", { name: "Sign again" }).click();
  await expectStep(page, "status");
  await expectActive(page);
  await shot(page, testInfo, "03-active-after-retry");

  expect(wallet.requestsFor("personal_sign")).toHaveLength(4);
  const signed = await verifiedMessages(wallet);
  expect(signed).toHaveLength(2);
  expect(signed[1]?.message).toBe(challenge);
});

test("an OffBlocks challenge that expired before it was signed is replaced, and the new one is signed", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await connectTestWallet(page);
  await signIn(page);
  const first = await challengeText(page);

  // an hour and a second later at OffBlocks: the message on screen is no longer accepted
  await advanceSandboxClock(page, 3601);
  try {
    await page.getByRole("button", { name: "Sign with your wallet" }).click();
    await expect(page.getByTestId("flow-notice")).toContainText(/expired/i, { timeout: 20_000 });
    await expectStep(page, "offblocks");
    await expect.poll(() => challengeText(page)).not.toBe(first);
    const second = await challengeText(page);
    expect(parseSiweMessage(second).nonce).not.toBe(parseSiweMessage(first).nonce);
    await shot(page, testInfo, "01-new-challenge-after-expiry");

    await page.getByRole("button", { name: /^(Sign with your wallet|Sign again)$/ }).click();
    await expectStep(page, "status");
    await expectActive(page);
    await shot(page, testInfo, "02-active");

    // sign-in, the expired challenge, the new one: all three by the wallet, the last two as shown
    const signed = await verifiedMessages(wallet);
    expect(signed.map((s) => s.message).slice(1)).toEqual([first, second]);
  } finally {
    // later tests start from the real time again
    await advanceSandboxClock(page, -3601);
  }
});

test("switching to another account mid-flow signs out; the new account signs in and onboards", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await connectTestWallet(page);
  await signIn(page);
  const firstAccount = wallet.address;
  expect(await sessionAddress(page)).toBe(firstAccount);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();

  // the person picks another account in the wallet while the OffBlocks message is on screen
  const secondAccount = await wallet.switchAccount(generatePrivateKey());
  await expectStep(page, "signin");
  await expect(page.getByText("You switched accounts, so we signed you out")).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toBeHidden();
  await expect.poll(() => sessionAddress(page)).toBeUndefined();
  await expect(page.getByTestId("wallet-summary")).toContainText(secondAccount.slice(-4));
  await expect(page.getByTestId("wallet-summary")).toContainText("Test Wallet");
  await shot(page, testInfo, "01-signed-out-after-switch");

  await signIn(page);
  expect(await sessionAddress(page)).toBe(secondAccount);
  const challenge = await challengeText(page);
  expect(parseSiweMessage(challenge).address).toBe(secondAccount);
  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  await expectStep(page, "status");
  await expectActive(page);
  await shot(page, testInfo, "02-active-as-second-account");

  const signed = await verifiedMessages(wallet);
  expect(signed.map((s) => s.address)).toEqual([firstAccount, secondAccount, secondAccount]);
});

// (a network switched after connecting, and a refused switch, are in onboarding-injected.spec.ts)
test.describe("a wallet on another network", () => {
  test.use({ walletChainId: 1 });

  test("is asked to switch to zkSync Sepolia when it connects", async ({ page, wallet }) => {
    await page.goto("/");
    await connectTestWallet(page);
    await expect(page.getByTestId("wallet-summary")).toContainText("zkSync Sepolia");
    expect(wallet.chainId).toBe(300);
    expect(wallet.requestsFor("wallet_switchEthereumChain").map((r) => r.params)).toContainEqual([{ chainId: "0x12c" }]);
  });
});
