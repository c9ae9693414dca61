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
} as const;

/** The path prefix each emulator is mounted at inside the sandbox server. */
export const SANDBOX_PREFIX = {
  offblocks: "/offblocks/v1",
  unblock: "/unblock",
  controls: "/_sandbox",
} as const;
