/**
 * The providers the sandbox emulates, each under its own path prefix. Faults name a provider from this
 * list; Bloq joins it when its emulator lands.
 */
import { SANDBOX_PREFIX } from "@/lib/sandbox-defaults";

export const SANDBOX_PROVIDERS = {
  offblocks: SANDBOX_PREFIX.offblocks,
  unblock: SANDBOX_PREFIX.unblock,
} as const;

export type SandboxProvider = keyof typeof SANDBOX_PROVIDERS;

export const SANDBOX_PROVIDER_NAMES = Object.keys(SANDBOX_PROVIDERS) as [SandboxProvider, ...SandboxProvider[]];
