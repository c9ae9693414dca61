import { describe, expect, it } from "vitest";
import { backoffDelay, classifyFetchError, isRetryable } from "./retry";

const idle = { timedOut: false, callerAborted: false };

describe("retry classification", () => {
  it("retries 5xx, timeouts and connection errors, never 4xx or other answers", () => {
    for (const status of [500, 502, 503, 504, 599]) expect(isRetryable({ kind: "response", status })).toBe(true);
    for (const status of [200, 201, 204, 301, 400, 401, 403, 404, 409, 410, 422, 429, 499]) {
      expect(isRetryable({ kind: "response", status })).toBe(false);
    }
    expect(isRetryable({ kind: "timeout" })).toBe(true);
    expect(isRetryable({ kind: "network", error: new Error("x") })).toBe(true);
    expect(isRetryable({ kind: "aborted" })).toBe(false);
    expect(isRetryable({ kind: "error", error: new Error("bug") })).toBe(false);
  });

  it("tells timeouts, connection errors, caller aborts and bugs apart", () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    expect(classifyFetchError(refused, idle).kind).toBe("network");
    const reset = new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    expect(classifyFetchError(reset, idle).kind).toBe("network");
    expect(classifyFetchError(new TypeError("terminated"), idle).kind).toBe("network");
    expect(classifyFetchError(new DOMException("t", "TimeoutError"), idle).kind).toBe("timeout");
    expect(classifyFetchError(new DOMException("a", "AbortError"), { timedOut: true, callerAborted: false }).kind).toBe("timeout");
    expect(classifyFetchError(new DOMException("a", "AbortError"), { timedOut: false, callerAborted: true }).kind).toBe("aborted");
    expect(classifyFetchError(new RangeError("bug"), idle).kind).toBe("error");
  });

  it("backs off exponentially with jitter, capped", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { ...options, random: () => 0.999999 })).toBe(100);
    expect(backoffDelay(3, { ...options, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { ...options, random: () => 0.999999 })).toBe(400);
    expect(backoffDelay(10, { ...options, random: () => 0.999999 })).toBe(1000);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(5);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});
