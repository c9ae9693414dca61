import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { cspNonce, pageContentSecurityPolicy, rpcConnectOrigins } from "./security-headers";

const directives = (policy: string) => new Map(policy.split("; ").map((directive) => [directive.split(" ")[0]!, directive.split(" ").slice(1)] as const));

describe("the pages' Content-Security-Policy", () => {
  const base = { nonce: "bm9uY2U=", development: false, https: false, connectOrigins: ["https://rpc.example"], walletConnect: false };

  it("runs no script without the response's nonce, and nobody frames the app", () => {
    const csp = directives(pageContentSecurityPolicy(base));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "https://rpc.example"]);
    expect(csp.get("frame-src")).toEqual(["'none'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows WalletConnect only when a project id is configured, eval only in development, upgrades on https", () => {
    const csp = directives(pageContentSecurityPolicy({ ...base, walletConnect: true, development: true, https: true }));
    expect(csp.get("connect-src")).toEqual(expect.arrayContaining(["wss://*.walletconnect.com", "wss://*.walletconnect.org"]));
    expect(csp.get("frame-src")).toEqual(expect.arrayContaining(["https://verify.walletconnect.com"]));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
  });

  it("allows the configured chains' RPC origins, never their paths (which may hold an API key)", () => {
    const { chains } = loadConfig({ APP_CHAIN_IDS: "300,31337", CHAIN_RPC_URLS: "300=https://zk.rpc.example/v2/SECRETKEY,31337=http://127.0.0.1:8545" });
    const origins = rpcConnectOrigins(chains);
    expect(origins).toEqual(
      expect.arrayContaining(["https://sepolia.era.zksync.dev", "wss://sepolia.era.zksync.dev", "https://zk.rpc.example", "http://127.0.0.1:8545"]),
    );
    expect(origins.join(" ")).not.toContain("SECRETKEY");
  });

  it("uses a fresh nonce each time", () => {
    expect(cspNonce()).not.toBe(cspNonce());
    expect(cspNonce()).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  });
});
