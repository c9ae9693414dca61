import { stringToHex, verifyMessage, type Chain } from "viem";
import { zksync, zksyncSepoliaTestnet } from "viem/chains";
import { describe, expect, it, vi } from "vitest";
import { BURNER_KEY_STORAGE, type KeyStorage } from "./burner-key";
import { ProviderRpcError, sandboxConnector } from "./sandbox-connector";

function memoryStorage(): KeyStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

function setUp(storage = memoryStorage()) {
  const emit = vi.fn();
  const chains = [zksyncSepoliaTestnet, zksync] as [Chain, ...Chain[]];
  const emitter = { emit, on: vi.fn(), off: vi.fn(), once: vi.fn(), listenerCount: vi.fn(() => 0), uid: "test" };
  const connector = sandboxConnector({ storage: () => storage })({ chains, emitter: emitter as never });
  return { connector, storage, emit };
}

describe("the Sandbox wallet connector", () => {
  it("creates a burner key on first connect, keeps it in storage, and gives the same account back later", async () => {
    const { connector, storage } = setUp();
    expect(await connector.isAuthorized()).toBe(false);
    const { accounts, chainId } = await connector.connect();
    expect(accounts).toHaveLength(1);
    expect(chainId).toBe(300);
    expect(storage.data.get(BURNER_KEY_STORAGE)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await connector.isAuthorized()).toBe(true);

    const again = setUp(storage).connector;
    expect(await again.isAuthorized()).toBe(true);
    expect((await again.connect()).accounts).toEqual(accounts);
  });

  it("signs personal_sign itself, with a signature that recovers to its account", async () => {
    const { connector } = setUp();
    const [address] = (await connector.connect()).accounts;
    const provider = await connector.getProvider();
    const message = "example.com wants you to sign in with your Ethereum account:";
    const signature = await provider.request({ method: "personal_sign", params: [stringToHex(message), address] });
    expect(await verifyMessage({ address: address!, message, signature: signature as `0x${string}` })).toBe(true);
  });

  it("refuses to sign for an account it does not hold, and every method it does not implement, without a network", async () => {
    const { connector } = setUp();
    await connector.connect();
    const provider = await connector.getProvider();
    await expect(provider.request({ method: "personal_sign", params: ["0x00", "0x0000000000000000000000000000000000000001"] })).rejects.toMatchObject({
      code: 4100,
    });
    await expect(provider.request({ method: "eth_getBalance", params: [] })).rejects.toBeInstanceOf(ProviderRpcError);
    await expect(provider.request({ method: "eth_sendTransaction", params: [] })).rejects.toMatchObject({ code: 4200 });
  });

  it("switches between the configured chains only, tells wagmi, and remembers the chain", async () => {
    const { connector, storage, emit } = setUp();
    await connector.connect();
    const chain = await connector.switchChain!({ chainId: 324 });
    expect(chain.id).toBe(324);
    expect(await connector.getChainId()).toBe(324);
    expect(emit).toHaveBeenCalledWith("change", { chainId: 324 });
    await expect(connector.switchChain!({ chainId: 1 })).rejects.toThrow();
    expect(await setUp(storage).connector.getChainId()).toBe(324);
  });

  it("connects on the chain asked for", async () => {
    const { connector } = setUp();
    expect((await connector.connect({ chainId: 324 })).chainId).toBe(324);
  });

  it("is not reconnected after the person disconnected it", async () => {
    const { connector, storage } = setUp();
    await connector.connect();
    await connector.disconnect();
    expect(await connector.isAuthorized()).toBe(false);
    expect(await setUp(storage).connector.isAuthorized()).toBe(false);
  });
});
