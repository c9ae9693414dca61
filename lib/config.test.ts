import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_SECRETS, CONFIG_VARIABLES, ConfigError, loadConfig } from "./config";
import { SANDBOX_DEFAULTS } from "./sandbox-defaults";

describe("configuration", () => {
  it("runs against the sandbox with no variables set", () => {
    const cfg = loadConfig({});
    expect(cfg.port).toBe(3000);
    expect(cfg.sandbox).toEqual({ enabled: true, start: true, port: 4010, url: "http://127.0.0.1:4010" });
    expect(cfg.unblock.baseUrl).toBe("http://127.0.0.1:4010/unblock");
    expect(cfg.unblock.chainId).toBe(80002);
    expect(cfg.offblocks.baseUrl).toBe("http://127.0.0.1:4010/offblocks/v1");
    expect(cfg.offblocks.apiKey).toBe(SANDBOX_DEFAULTS.offblocks.apiKey);
    expect(cfg.publicUrl).toBe("http://localhost:3000");
    expect(cfg.databaseUrl).toBeUndefined();
  });

  it("follows SANDBOX_PORT and leaves sandbox mode when a real provider URL is set", () => {
    expect(loadConfig({ SANDBOX_PORT: "4999" }).offblocks.baseUrl).toBe("http://127.0.0.1:4999/offblocks/v1");
    const real = loadConfig({ OFFBLOCKS_BASE_URL: "https://api.sandbox.offblocks.xyz/v1/" });
    expect(real.sandbox.enabled).toBe(false);
    expect(real.sandbox.start).toBe(true);
    const allReal = loadConfig({
      OFFBLOCKS_BASE_URL: "https://api.offblocks.xyz/v1",
      UNBLOCK_BASE_URL: "https://api.getunblock.com",
      BLOQ_ACCOUNTS_URL: "https://accounts.bloq.cloud",
      BLOQ_STAKE_URL: "https://api.bloq.com",
      BLOQ_CONNECT_URL: "https://connect.bloq.example",
    });
    expect(allReal.sandbox.start).toBe(false);
    expect(real.offblocks.baseUrl).toBe("https://api.sandbox.offblocks.xyz/v1");
  });

  it("stops on a bad value with one line naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/^Invalid configuration: PORT .*"eighty"/);
    expect(() => loadConfig({ OFFBLOCKS_API_KEY: "not-a-uuid" })).toThrow(/OFFBLOCKS_API_KEY must be a UUID/);
  });

  it("reads the sign-in settings: chains, RPC URLs, WalletConnect, staff, session password", () => {
    const defaults = loadConfig({});
    expect(defaults.chains).toEqual({ ids: [300, 324], rpcUrls: {} });
    expect(defaults.walletConnectProjectId).toBeUndefined();
    expect(defaults.staffAddresses).toEqual([]);
    expect(defaults.sessionPassword).toBeUndefined();

    const cfg = loadConfig({
      APP_CHAIN_IDS: "324, 1",
      CHAIN_RPC_URLS: "324=https://mainnet.era.zksync.io,1=http://127.0.0.1:8545/key",
      WALLETCONNECT_PROJECT_ID: "0123456789abcdef0123456789ABCDEF",
      STAFF_ADDRESSES: "0x43158f45b5ebd7b1179130130df00393928c2691",
      SESSION_PASSWORD: "a-session-password-of-32-characters!",
    });
    expect(cfg.chains).toEqual({ ids: [324, 1], rpcUrls: { 324: "https://mainnet.era.zksync.io", 1: "http://127.0.0.1:8545/key" } });
    expect(cfg.walletConnectProjectId).toBe("0123456789abcdef0123456789ABCDEF");
    expect(cfg.staffAddresses).toEqual(["0x43158f45b5EbD7b1179130130DF00393928C2691"]);
    expect(cfg.sessionPassword).toBe("a-session-password-of-32-characters!");

    expect(() => loadConfig({ APP_CHAIN_IDS: "300,zk" })).toThrow(/^Invalid configuration: APP_CHAIN_IDS must be a comma-separated list/);
    expect(() => loadConfig({ APP_CHAIN_IDS: "300,300" })).toThrow(/APP_CHAIN_IDS must not repeat/);
    expect(() => loadConfig({ CHAIN_RPC_URLS: "300=ftp://x" })).toThrow(/CHAIN_RPC_URLS must be/);
    expect(() => loadConfig({ WALLETCONNECT_PROJECT_ID: "nope" })).toThrow(/WALLETCONNECT_PROJECT_ID/);
    expect(() => loadConfig({ STAFF_ADDRESSES: "0x1234" })).toThrow(/STAFF_ADDRESSES/);
  });

  it("never repeats an RPC URL or a session password in its error", () => {
    for (const [name, value] of [
      ["SESSION_PASSWORD", "short-password"],
      ["CHAIN_RPC_URLS", "300=https://rpc.example/SECRETKEY oops"],
    ] as const) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        expect((error as Error).message).not.toContain(value);
      }
    }
  });

  it("reads the OffBlocks webhook secret: unset by default (generated later in sandbox mode), URL-safe, never echoed", () => {
    expect(loadConfig({}).offblocks.webhookSecret).toBeUndefined();
    const secret = "webhook_secret-0123456789abcdefghijklmnop";
    expect(loadConfig({ OFFBLOCKS_WEBHOOK_SECRET: secret }).offblocks.webhookSecret).toBe(secret);
    for (const bad of ["too-short", `${"x".repeat(40)}/slash`]) {
      expect(() => loadConfig({ OFFBLOCKS_WEBHOOK_SECRET: bad })).toThrow(/^Invalid configuration: OFFBLOCKS_WEBHOOK_SECRET must be/);
      expect(() => loadConfig({ OFFBLOCKS_WEBHOOK_SECRET: bad })).not.toThrow(new RegExp(bad));
    }
  });

  it("never repeats a secret's value in its error", () => {
    let message = "";
    try {
      loadConfig({ DATA_KEY: "short-secret" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATA_KEY/);
    expect(message).not.toContain("short-secret");
  });

  it("documents every variable in .env.example and the README, secrets marked", () => {
    const example = fs.readFileSync(".env.example", "utf8");
    const readme = fs.readFileSync("README.md", "utf8");
    for (const name of CONFIG_VARIABLES) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
      expect(readme, name).toContain(`\`${name}\``);
    }
    for (const name of CONFIG_SECRETS) expect(readme, name).toMatch(new RegExp(`\\| \`${name}\` \\|[^\\n]*\\| yes \\|`));
  });
});
