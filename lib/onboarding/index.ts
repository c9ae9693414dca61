/**
 * The onboarding of the signed-in wallet, for route handlers: the process's service (app database, the
 * OffBlocks client, the configuration) built once. See ./service.ts and ./steps/ for the state machine, ./types.ts for
 * the wire object.
 */
import type { Address, Hex } from "viem";
import { config } from "../config";
import { secretBoxFromConfig } from "../crypto/secret-box";
import { appDatabase } from "../db";
import { bloq } from "../providers/bloq";
import { offblocks } from "../providers/offblocks";
import { unblock, type UnblockCurrency } from "../providers/unblock";
import { createSignatureCheck } from "../siwe/signature-check";
import { createOnboardingService, type OnboardingOwner, type OnboardingService } from "./service";
import type { OnboardingView } from "./types";
import type { CustomerHint, CustomerUpdateResult } from "./offblocks-webhook";

export type { OnboardingOwner, OnboardingService } from "./service";
export { createOnboardingService, toView } from "./service";
export { BLOQ_NOT_ALLOWED_MESSAGE, BloqLoginBodySchema } from "./steps/bloq";
export { parseUnblockUserForm, UnblockAccountBodySchema, UnblockLoginBodySchema, UnblockOtpBodySchema } from "./steps/unblock";
import { unblockSignatureCheck } from "./steps/unblock";
import { sharedInProcess } from "../process-shared";
import { appRateLimiters } from "../api/app-rate-limiters";
import { scheduleFollowSoon } from "../jobs";
export type * from "./types";
export type { CustomerUpdateOutcome, CustomerUpdateResult } from "./offblocks-webhook";

/** The process's onboarding service (the job workers call it directly, lib/jobs/worker-start.ts). */
export function onboardingService(): Promise<OnboardingService> {
  return sharedInProcess("onboarding-service", () =>
    Promise.all([appDatabase(), offblocks(), bloq()]).then(([database, client, bloqClient]) =>
      createOnboardingService({
        db: database.db,
        offblocks: client,
        offblocksBaseUrl: config().offblocks.baseUrl,
        unblock: {
          client: unblock(),
          secretBox: secretBoxFromConfig(config()),
          signatureCheck: unblockSignatureCheck(createSignatureCheck({ rpcUrls: config().chains.rpcUrls }), config().chains.rpcUrls),
          limit: async (name, email) => (await appRateLimiters()).consume(name, email),
        },
        bloq: { client: bloqClient, secretBox: secretBoxFromConfig(config()) },
        scheduleFollow: scheduleFollowSoon,
      }),
    ),
  );
}

/** 201 (created: true) or 200: the wallet's onboarding, its OffBlocks customer created. */
export async function startOnboarding(owner: OnboardingOwner): Promise<{ created: boolean; onboarding: OnboardingView }> {
  return (await onboardingService()).start(owner);
}

export async function getOnboarding(address: Address): Promise<OnboardingView> {
  return (await onboardingService()).get(address);
}

/** A `customer.updated` webhook's hint: re-fetch the customer and apply it (see ./offblocks-webhook.ts). */
export async function applyOffblocksCustomerUpdate(customerId: string, hint?: CustomerHint): Promise<CustomerUpdateResult> {
  return (await onboardingService()).applyOffblocksCustomerUpdate(customerId, hint);
}

export async function refreshOffblocksChallenge(address: Address): Promise<OnboardingView> {
  return (await onboardingService()).refreshChallenge(address);
}

export async function submitOffblocksSignature(address: Address, signature: Hex): Promise<OnboardingView> {
  return (await onboardingService()).submitOffblocksSignature(address, signature);
}

// ---- Unblock (see ./steps/unblock.ts) ----

/** 200 the onboarding with `steps.unblock.status = "user_created"`; 400 `invalid_request` with `fields`; 409 `email_taken`. */
export async function createUnblockUser(address: Address, form: unknown): Promise<OnboardingView> {
  return (await onboardingService()).createUnblockUser(address, form);
}

/** The SIWE text to sign for Unblock (nonce remembered, single use). */
export async function buildUnblockMessage(address: Address): Promise<{ message: string }> {
  return (await onboardingService()).buildUnblockMessage(address);
}

export async function unblockLogin(address: Address, signature: Hex): Promise<OnboardingView> {
  return (await onboardingService()).unblockLogin(address, signature);
}

export async function requestUnblockOtp(address: Address): Promise<OnboardingView> {
  return (await onboardingService()).requestUnblockOtp(address);
}

export async function verifyUnblockOtp(address: Address, code: string): Promise<OnboardingView> {
  return (await onboardingService()).verifyUnblockOtp(address, code);
}

export async function openUnblockAccount(address: Address, currency: UnblockCurrency): Promise<OnboardingView> {
  return (await onboardingService()).openUnblockAccount(address, currency);
}

// ---- Bloq (see ./steps/bloq.ts) ----

/** 200 `{message}`: the Bloq text to sign (nonce from Bloq); 404 `bloq_address_not_allowed` (step `not_allowed`). */
export async function buildBloqMessage(address: Address): Promise<{ message: string }> {
  return (await onboardingService()).buildBloqMessage(address);
}

/** 200 the onboarding with `steps.bloq.status = "linked"`; 400 `signature_invalid` (with a fresh message when Bloq refused it). */
export async function linkBloq(address: Address, signature: Hex): Promise<OnboardingView> {
  return (await onboardingService()).linkBloq(address, signature);
}
