/**
 * The contract-wallet path against a minimal JSON-RPC node on port 0 (a stand-in for a chain's RPC, which
 * the suite cannot reach): it answers `eth_call` as an ERC-6492 validator would and records the calls.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { zksyncSepoliaTestnet } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { createSignatureCheck } from "./signature-check";

interface RpcCall {
  method: string;
  params: unknown[];
}

describe("signature check with contract wallets (EIP-1271/6492)", () => {
  let server: http.Server;
  let url = "";
  const calls: RpcCall[] = [];
  let valid = true;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const request = JSON.parse(body) as RpcCall & { id: number; jsonrpc: string };
        calls.push({ method: request.method, params: request.params });
        const result = request.method === "eth_chainId" ? "0x12c" : request.method === "eth_call" ? `0x${(valid ? "1" : "0").padStart(64, "0")}` : null;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ jsonrpc: "2.0", id: request.id, result }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const silent = createLogger({ level: "silent" });
  const owner = privateKeyToAccount(generatePrivateKey());
  const contractWallet = privateKeyToAccount(generatePrivateKey()).address; // an address whose key nobody has
  const message = "localhost:3000 wants you to sign in…";

  it("checks plain wallets locally, without the RPC", async () => {
    const check = createSignatureCheck({ rpcUrls: { 300: url }, logger: silent });
    const before = calls.length;
    expect(await check({ address: owner.address, message, signature: await owner.signMessage({ message }), chainId: 300 })).toBe(true);
    expect(calls.length).toBe(before);
  });

  it("asks the chain's ERC-6492 verifier when the signature does not recover to the address", async () => {
    const check = createSignatureCheck({ rpcUrls: { 300: url }, logger: silent });
    const signature = await owner.signMessage({ message });
    valid = true;
    expect(await check({ address: contractWallet, message, signature, chainId: 300 })).toBe(true);
    const ethCall = calls.findLast((c) => c.method === "eth_call");
    expect((ethCall?.params[0] as { to?: string }).to?.toLowerCase()).toBe(zksyncSepoliaTestnet.contracts.erc6492Verifier.address.toLowerCase());
    valid = false;
    expect(await check({ address: contractWallet, message, signature, chainId: 300 })).toBe(false);
  });

  it("uses the deployless validator on a chain it does not know", async () => {
    const check = createSignatureCheck({ rpcUrls: { 31337: url }, logger: silent });
    valid = true;
    expect(await check({ address: contractWallet, message, signature: await owner.signMessage({ message }), chainId: 31337 })).toBe(true);
    const ethCall = calls.findLast((c) => c.method === "eth_call");
    expect((ethCall?.params[0] as { to?: string }).to).toBeUndefined();
  });

  it("refuses without an RPC for the chain, and when the RPC cannot be reached", async () => {
    const signature = await owner.signMessage({ message });
    expect(await createSignatureCheck({ rpcUrls: {}, logger: silent })({ address: contractWallet, message, signature, chainId: 300 })).toBe(false);
    const unreachable = createSignatureCheck({ rpcUrls: { 300: "http://127.0.0.1:9" }, logger: silent });
    expect(await unreachable({ address: contractWallet, message, signature, chainId: 300 })).toBe(false);
  });
});
