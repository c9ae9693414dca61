/**
 * The providers the sandbox emulates, each under its own path prefix. Faults name a provider from this
 * list. Bloq is one provider covering its three services: "/bloq" holds SANDBOX_PREFIX.bloqAccounts,
 * .bloqStake and .bloqConnect, so a Bloq fault's `path` starts with the service, e.g.
 * `{provider: "bloq", path: "/accounts/auth/token"}`, `"/connect/api/v1/status"`, `"/stake/auth"`; without a
 * path it hits all three.
 */
import { SANDBOX_PREFIX } from "@/lib/sandbox-defaults";

export const SANDBOX_PROVIDERS = {
  offblocks: SANDBOX_PREFIX.offblocks,
  unblock: SANDBOX_PREFIX.unblock,
  bloq: "/bloq",
} as const;

export type SandboxProvider = keyof typeof SANDBOX_PROVIDERS;

export const SANDBOX_PROVIDER_NAMES = Object.keys(SANDBOX_PROVIDERS) as [SandboxProvider, ...SandboxProvider[]];
