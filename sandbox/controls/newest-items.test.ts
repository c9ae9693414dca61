/** The sandbox's bounded lists: the newest items, oldest first, however many were pushed. */
import { describe, expect, it } from "vitest";
import { UnblockState, MAILBOX_KEPT } from "../unblock/state";
import { NewestItems } from "./newest-items";

describe("NewestItems", () => {
  it("keeps the newest `capacity` items, oldest first, and counts every push", () => {
    const items = new NewestItems<number>(3);
    expect(items.list()).toEqual([]);
    for (let i = 1; i <= 2; i++) items.push(i);
    expect(items.list()).toEqual([1, 2]);
    for (let i = 3; i <= 7; i++) items.push(i);
    expect(items.list()).toEqual([5, 6, 7]);
    expect(items.pushed).toBe(7);
    items.clear();
    expect(items.list()).toEqual([]);
    items.push(8);
    expect(items.list()).toEqual([8]);
  });

  it("bounds the Unblock mailbox however many codes are sent", () => {
    const state = new UnblockState();
    for (let i = 0; i < MAILBOX_KEPT + 50; i++) state.mailbox.push({ to: `u${i}@example.com`, subject: "s", body: "b", code: "000000", sentAt: "now" });
    const all = state.mailFor(undefined);
    expect(all).toHaveLength(MAILBOX_KEPT);
    expect(all[0]!.to).toBe("u50@example.com");
    expect(state.mailFor("U2049@example.com")).toHaveLength(1);
  });
});
