/**
 * The onboarding of the signed-in wallet, for route handlers: the process's service (app database, the
 * OffBlocks client, the configuration) built once. See ./service.ts for the state machine, ./types.ts for
 * the wire object.
 */
import type { Address, Hex } from "viem";
import { config } from "../config";
import { appDatabase } from "../db";
import { offblocks } from "../providers/offblocks";
import { createOnboardingService, type OnboardingOwner, type OnboardingService } from "./service";
import type { OnboardingView } from "./types";

export type { OnboardingOwner, OnboardingService } from "./service";
export { createOnboardingService, toView } from "./service";
export type * from "./types";

let shared: Promise<OnboardingService> | undefined;

function service(): Promise<OnboardingService> {
  if (!shared) {
    const building = Promise.all([appDatabase(), offblocks()]).then(([database, client]) =>
      createOnboardingService({ db: database.db, offblocks: client, offblocksBaseUrl: config().offblocks.baseUrl }),
    );
    shared = building;
    building.catch(() => {
      if (shared === building) shared = undefined;
    });
  }
  return shared;
}

/** 201 (created: true) or 200: the wallet's onboarding, its OffBlocks customer created. */
export async function startOnboarding(owner: OnboardingOwner): Promise<{ created: boolean; onboarding: OnboardingView }> {
  return (await service()).start(owner);
}

export async function getOnboarding(address: Address): Promise<OnboardingView> {
  return (await service()).get(address);
}

export async function refreshOffblocksChallenge(address: Address): Promise<OnboardingView> {
  return (await service()).refreshChallenge(address);
}

export async function submitOffblocksSignature(address: Address, signature: Hex): Promise<OnboardingView> {
  return (await service()).submitOffblocksSignature(address, signature);
}
