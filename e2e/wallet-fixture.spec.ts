/**
 * The injected wallet fixture on its own: a tiny page served on a fake origin (no app needed) discovers it
 * over EIP-6963 and talks EIP-1193 to it; every signature is checked here with viem.
 */
import type { Page } from "@playwright/test";
import { toHex, verifyMessage, verifyTypedData, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, test, TEST_WALLET_INFO } from "./fixtures/injected-wallet";

const ORIGIN = "http://wallet.test";

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Wallet fixture</title></head>
<body>
<h1>Wallets found</h1>
<ul id="wallets"></ul>
<script>
  window.discovered = [];
  window.events = [];
  window.addEventListener("eip6963:announceProvider", (event) => {
    window.discovered.push(event.detail);
    const item = document.createElement("li");
    item.textContent = event.detail.info.name + " (" + event.detail.info.rdns + ")";
    document.getElementById("wallets").append(item);
  });
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  for (const name of ["accountsChanged", "chainChanged", "connect", "disconnect"]) {
    window.ethereum?.on(name, (data) => window.events.push({ name, data }));
  }
</script>
</body>
</html>`;

interface Outcome {
  result?: unknown;
  error?: { code: number; message: string; name: string; isError: boolean };
}

/** `window.ethereum.request(...)` in the page, its answer or its error as a value */
function call(page: Page, method: string, params?: unknown): Promise<Outcome> {
  return page.evaluate(
    async ({ method, params }) => {
      const ethereum = (window as unknown as { ethereum: { request: (a: { method: string; params?: unknown }) => Promise<unknown> } }).ethereum;
      try {
        return { result: await ethereum.request(params === undefined ? { method } : { method, params }) };
      } catch (error) {
        const e = error as { code: number; message: string; name: string };
        return { error: { code: e.code, message: e.message, name: e.name, isError: error instanceof Error } };
      }
    },
    { method, params },
  );
}

function pageEvents(page: Page): Promise<{ name: string; data: unknown }[]> {
  return page.evaluate(() => (window as unknown as { events: { name: string; data: unknown }[] }).events);
}

test.beforeEach(async ({ page }) => {
  await page.route(`${ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: PAGE }));
});

test("the page discovers the wallet over EIP-6963, and the same provider is window.ethereum", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  await expect(page.getByRole("listitem")).toHaveText([`Test Wallet (dev.test.wallet)`]);
  const found = await page.evaluate(() => {
    const w = window as unknown as { discovered: { info: Record<string, string>; provider: unknown }[]; ethereum: unknown };
    return w.discovered.map((d) => ({ info: d.info, isWindowEthereum: d.provider === w.ethereum, frozen: Object.isFrozen(d) }));
  });
  expect(found).toEqual([
    { info: { uuid: wallet.uuid, name: "Test Wallet", rdns: "dev.test.wallet", icon: TEST_WALLET_INFO.icon }, isWindowEthereum: true, frozen: true },
  ]);
  expect(TEST_WALLET_INFO.icon).toMatch(/^data:image\/svg\+xml;base64,/);
  // a second request is answered again, with the same uuid
  const again = await page.evaluate(() => {
    const uuids: string[] = [];
    const seen = (event: Event) => uuids.push((event as CustomEvent<{ info: { uuid: string } }>).detail.info.uuid);
    window.addEventListener("eip6963:announceProvider", seen);
    window.dispatchEvent(new Event("eip6963:requestProvider"));
    window.removeEventListener("eip6963:announceProvider", seen);
    return uuids;
  });
  expect(again).toEqual([wallet.uuid]);
});

test("accounts only after the user connects; chain, network and permissions", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  expect(await call(page, "eth_accounts")).toEqual({ result: [] });
  expect(await call(page, "wallet_getPermissions")).toEqual({ result: [] });
  expect(await call(page, "eth_chainId")).toEqual({ result: "0x12c" });
  expect(await call(page, "net_version")).toEqual({ result: "300" });

  expect(await call(page, "eth_requestAccounts")).toEqual({ result: [wallet.address] });
  expect(await call(page, "eth_accounts")).toEqual({ result: [wallet.address] });
  const permissions = await call(page, "wallet_getPermissions");
  expect(permissions.result).toEqual([
    expect.objectContaining({ invoker: ORIGIN, parentCapability: "eth_accounts", caveats: [{ type: "restrictReturnedAccounts", value: [wallet.address] }] }),
  ]);
  expect(wallet.isConnected(ORIGIN)).toBe(true);

  // the connection survives a reload (the wallet remembers the site, as a real one does)
  await page.reload();
  expect(await call(page, "eth_accounts")).toEqual({ result: [wallet.address] });

  // the user disconnects the site from the page: permission gone, accountsChanged([])
  expect(await call(page, "wallet_revokePermissions", [{ eth_accounts: {} }])).toEqual({ result: null });
  expect(await call(page, "eth_accounts")).toEqual({ result: [] });
  expect(await pageEvents(page)).toEqual([{ name: "accountsChanged", data: [] }]);

  expect((await call(page, "wallet_requestPermissions", [{ eth_accounts: {} }])).result).toEqual([
    expect.objectContaining({ parentCapability: "eth_accounts" }),
  ]);
  expect(await call(page, "eth_accounts")).toEqual({ result: [wallet.address] });
  expect(wallet.requests.map((r) => r.method)).toEqual([
    "eth_accounts",
    "wallet_getPermissions",
    "eth_chainId",
    "net_version",
    "eth_requestAccounts",
    "eth_accounts",
    "wallet_getPermissions",
    "eth_accounts",
    "wallet_revokePermissions",
    "eth_accounts",
    "wallet_requestPermissions",
    "eth_accounts",
  ]);
});

test("personal_sign signs in the test process; the signature verifies with viem", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  expect((await call(page, "personal_sign", [toHex("too early"), wallet.address])).error?.code).toBe(4100);
  await call(page, "eth_requestAccounts");

  const message = "wallet.test wants you to sign in with your Ethereum account:\nhello ✓";
  const hex = await call(page, "personal_sign", [toHex(message), wallet.address]);
  const utf8 = await call(page, "personal_sign", ["plain text from an old dapp", wallet.address.toLowerCase()]);
  expect(await verifyMessage({ address: wallet.address, message, signature: hex.result as Hex })).toBe(true);
  expect(await verifyMessage({ address: wallet.address, message: "plain text from an old dapp", signature: utf8.result as Hex })).toBe(true);
  expect(wallet.signed.map((s) => (s.method === "personal_sign" ? s.message : s.method))).toEqual([message, "plain text from an old dapp"]);
  expect(wallet.signed[0]?.signature).toBe(hex.result);
  // the same bytes signed in the test by the wallet's account give the same signature (RFC 6979)
  expect(await wallet.account.signMessage({ message })).toBe(hex.result);

  const typedData = {
    domain: { name: "Wallet fixture", version: "1", chainId: 300 },
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
      ],
      Greeting: [
        { name: "to", type: "address" },
        { name: "text", type: "string" },
      ],
    },
    primaryType: "Greeting",
    message: { to: wallet.address, text: "hello" },
  } as const;
  const typed = await call(page, "eth_signTypedData_v4", [wallet.address, JSON.stringify(typedData)]);
  expect(typed.error).toBeUndefined();
  const { EIP712Domain: _domainType, ...types } = typedData.types;
  expect(_domainType).toHaveLength(3);
  expect(
    await verifyTypedData({
      address: wallet.address,
      domain: typedData.domain,
      types,
      primaryType: "Greeting",
      message: typedData.message,
      signature: typed.result as Hex,
    }),
  ).toBe(true);

  // another account than the wallet's is refused
  const stranger = privateKeyToAccount(generatePrivateKey()).address;
  expect((await call(page, "personal_sign", [toHex("x"), stranger])).error?.code).toBe(4100);
});

test("the user rejects: 4001 once, then the next request is signed", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  await call(page, "eth_requestAccounts");

  wallet.rejectNext();
  const rejected = await call(page, "personal_sign", [toHex("first try"), wallet.address]);
  expect(rejected.error).toEqual({ code: 4001, message: "User rejected the request.", name: "ProviderRpcError", isError: true });
  const retried = await call(page, "personal_sign", [toHex("second try"), wallet.address]);
  expect(await verifyMessage({ address: wallet.address, message: "second try", signature: retried.result as Hex })).toBe(true);
  expect(wallet.signed).toHaveLength(1);
  expect(wallet.requestsFor("personal_sign")).toHaveLength(2);

  // a rejection armed for one method leaves the others alone; approveAll disarms
  wallet.rejectNext("eth_requestAccounts");
  wallet.rejectNext("personal_sign");
  expect((await call(page, "eth_chainId")).result).toBe("0x12c");
  expect((await call(page, "eth_requestAccounts")).error?.code).toBe(4001);
  wallet.approveAll();
  expect((await call(page, "personal_sign", [toHex("third"), wallet.address])).error).toBeUndefined();
});

test("switching account in the wallet tells the page (accountsChanged)", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  const first = wallet.address;

  // not connected yet: the page is not told about accounts it was never given
  await wallet.switchAccount(generatePrivateKey());
  expect(await pageEvents(page)).toEqual([]);
  await call(page, "eth_requestAccounts");

  const second = await wallet.switchAccount(generatePrivateKey());
  expect(second).not.toBe(first);
  expect(await pageEvents(page)).toEqual([{ name: "accountsChanged", data: [second] }]);
  expect(await call(page, "eth_accounts")).toEqual({ result: [second] });
  const signature = (await call(page, "personal_sign", [toHex("after the switch"), second])).result as Hex;
  expect(await verifyMessage({ address: second, message: "after the switch", signature })).toBe(true);
  // the previous account can no longer sign
  expect((await call(page, "personal_sign", [toHex("stale"), first])).error?.code).toBe(4100);

  // a listener removed is not called again
  await page.evaluate(() => {
    const w = window as unknown as {
      ethereum: { on: (e: string, l: (d: unknown) => void) => void; removeListener: (e: string, l: (d: unknown) => void) => void };
      once: unknown[];
    };
    w.once = [];
    const listener = (data: unknown) => w.once.push(data);
    w.ethereum.on("accountsChanged", listener);
    w.ethereum.removeListener("accountsChanged", listener);
  });
  const third = await wallet.switchAccount(generatePrivateKey());
  expect(await page.evaluate(() => (window as unknown as { once: unknown[] }).once)).toEqual([]);
  expect((await pageEvents(page)).at(-1)).toEqual({ name: "accountsChanged", data: [third] });
});

test("switching chain, from the wallet or asked by the page, emits chainChanged", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  await wallet.switchChain(324);
  expect(await call(page, "eth_chainId")).toEqual({ result: "0x144" });
  expect(await call(page, "wallet_switchEthereumChain", [{ chainId: "0x12c" }])).toEqual({ result: null });
  expect(wallet.chainId).toBe(300);

  const unknownChain = await call(page, "wallet_switchEthereumChain", [{ chainId: "0xa4b1" }]);
  expect(unknownChain.error?.code).toBe(4902);
  const added = await call(page, "wallet_addEthereumChain", [
    { chainId: "0xa4b1", chainName: "Arbitrum One", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: ["https://arb1.arbitrum.io/rpc"] },
  ]);
  expect(added).toEqual({ result: null });
  expect(await call(page, "net_version")).toEqual({ result: "42161" });

  await wallet.disconnect();
  await wallet.connect();
  expect(await pageEvents(page)).toEqual([
    { name: "chainChanged", data: "0x144" },
    { name: "chainChanged", data: "0x12c" },
    { name: "chainChanged", data: "0xa4b1" },
    { name: "disconnect", data: { code: 4900, message: "The provider is disconnected from all chains." } },
    { name: "connect", data: { chainId: "0xa4b1" } },
  ]);
});

test("anything else is answered with 4200, and a malformed request with -32600", async ({ page, wallet }) => {
  await page.goto(`${ORIGIN}/`);
  const unsupported = await call(page, "eth_sendTransaction", [{ to: wallet.address, value: "0x1" }]);
  expect(unsupported.error).toMatchObject({ code: 4200, message: "The requested method is not supported by this Ethereum provider." });
  const malformed = await page.evaluate(async () => {
    const ethereum = (window as unknown as { ethereum: { request: (a: unknown) => Promise<unknown> } }).ethereum;
    return ethereum.request({ params: [] }).catch((error: { code: number }) => error.code);
  });
  expect(malformed).toBe(-32600);
});
