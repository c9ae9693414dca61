/**
 * The Sandbox wallet's key: a burner private key generated in the browser and kept in its localStorage, so
 * the same test wallet comes back after a reload. Sandbox mode only — it never holds real funds, and
 * anyone with access to this browser profile can read it.
 */
import type { Hex } from "viem";
import { generatePrivateKey } from "viem/accounts";

export const BURNER_KEY_STORAGE = "onboarding.sandbox-wallet.key";

export type KeyStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

export function readBurnerKey(storage: KeyStorage): Hex | undefined {
  const stored = storage.getItem(BURNER_KEY_STORAGE);
  return stored && PRIVATE_KEY.test(stored) ? (stored as Hex) : undefined;
}

export function burnerKey(storage: KeyStorage): Hex {
  const existing = readBurnerKey(storage);
  if (existing) return existing;
  const created = generatePrivateKey();
  storage.setItem(BURNER_KEY_STORAGE, created);
  return created;
}
