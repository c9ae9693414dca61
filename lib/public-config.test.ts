import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { publicConfig } from "./public-config";

describe("the configuration a browser may see", () => {
  it("holds the sandbox flag, the chains, the WalletConnect project id and OffBlocks' host — nothing else", () => {
    expect(publicConfig(loadConfig({}))).toEqual({
      sandbox: true,
      chainIds: [300, 324],
      walletConnectProjectId: null,
      offblocksHost: "127.0.0.1:4010",
    });
    const real = loadConfig({
      OFFBLOCKS_BASE_URL: "https://api.sandbox.offblocks.xyz/v1",
      OFFBLOCKS_API_SECRET: "a-real-secret-value",
      SESSION_PASSWORD: "a-session-password-of-32-characters!",
      CHAIN_RPC_URLS: "324=https://rpc.example/v2/APIKEY",
      WALLETCONNECT_PROJECT_ID: "0123456789abcdef0123456789abcdef",
      APP_CHAIN_IDS: "324",
    });
    const shown = publicConfig(real);
    expect(shown).toEqual({
      sandbox: false,
      chainIds: [324],
      walletConnectProjectId: "0123456789abcdef0123456789abcdef",
      offblocksHost: "api.sandbox.offblocks.xyz",
    });
    const text = JSON.stringify(shown);
    for (const secret of ["a-real-secret-value", "a-session-password", "APIKEY"]) expect(text).not.toContain(secret);
  });
});
