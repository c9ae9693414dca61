/**
 * The merchant credentials the sandbox starts with, which are also the app's defaults when no real
 * provider is configured: a fresh clone works with no set-up. They are not secrets (they only open the
 * local emulators) and are printed at sandbox start and listed in `.env.example`.
 */
export const SANDBOX_DEFAULTS = {
  port: 4010,
  offblocks: {
    apiKey: "5b0c7a3e-2f6d-4c1a-9e8b-0d5f3a7c9e21",
    apiSecret: "sandbox-offblocks-secret-do-not-use-in-production",
  },
  unblock: {
    apiKey: "sandbox-unblock-api-key-do-not-use-in-production",
  },
  bloq: {
    /** the merchant's Bloq account (HTTP Basic at Accounts) */
    email: "merchant@sandbox.bloq.test",
    password: "sandbox-bloq-password-do-not-use-in-production",
    /** a client key the sandbox account starts with */
    clientId: "5a6e1f0c2b7d4e8f9a0b1c2d3e4f5a6b",
    clientSecret: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
  },
} as const;

/** The path prefix each emulator is mounted at inside the sandbox server. */
export const SANDBOX_PREFIX = {
  offblocks: "/offblocks/v1",
  unblock: "/unblock",
  bloqAccounts: "/bloq/accounts",
  bloqStake: "/bloq/stake",
  bloqConnect: "/bloq/connect",
  controls: "/_sandbox",
} as const;
