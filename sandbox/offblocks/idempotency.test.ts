/** The idempotency memory is bounded: expired keys are swept, and past the capacity the oldest is forgotten. */
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_CAPACITY, IdempotencyStore } from "./idempotency";

describe("idempotency memory", () => {
  it("forgets the oldest key once IDEMPOTENCY_CAPACITY keys are held, and expired keys first", () => {
    const store = new IdempotencyStore();
    for (let i = 0; i < IDEMPOTENCY_CAPACITY; i++) store.begin(`k${i}`, "f", 1_000, 0);
    store.begin("newest", "f", 1_000, 0);
    expect(store.get("k0", 0)).toBeUndefined();
    expect(store.get("k1", 0)).toBeDefined();
    expect(store.get("newest", 0)).toBeDefined();
    // all of them expired at 1_000: the next key sweeps them, the second-newest included
    store.begin("later", "f", 5_000, 2_000);
    expect(store.get("later", 2_000)).toBeDefined();
    expect(store.get("k1", 0)).toBeUndefined();
  });
});
