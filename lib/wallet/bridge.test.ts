import { describe, expect, it } from "vitest";
import { walletRemembered } from "./bridge";

const storageWith = (value: string | null) => ({ getItem: () => value });

describe("walletRemembered", () => {
  it("is true only when wagmi stored a current connection", () => {
    expect(walletRemembered(undefined)).toBe(false);
    expect(walletRemembered(storageWith(null))).toBe(false);
    expect(walletRemembered(storageWith("not json"))).toBe(false);
    expect(walletRemembered(storageWith(JSON.stringify({ state: { current: null }, version: 2 })))).toBe(false);
    expect(walletRemembered(storageWith(JSON.stringify({ state: { current: "abc123" }, version: 2 })))).toBe(true);
  });
});
