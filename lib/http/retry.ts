/**
 * When to retry a provider call and how long to wait: retry on 5xx answers, timeouts and connection errors
 * only — never on a 4xx, which the same request would get again — with jittered exponential backoff.
 */

/** What one attempt came to. */
export type AttemptOutcome =
  { kind: "response"; status: number } | { kind: "timeout" } | { kind: "network"; error: unknown } | { kind: "aborted" } | { kind: "error"; error: unknown };

export function isRetryable(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case "response":
      return outcome.status >= 500 && outcome.status <= 599;
    case "timeout":
    case "network":
      return true;
    default:
      return false;
  }
}

/** Error codes of a connection that failed or broke (Node net and undici). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

/**
 * Classifies what `fetch` (or reading its body) threw. `timedOut` tells whether our per-attempt timer fired,
 * `callerAborted` whether the caller's own signal did (then the call stops, no retry).
 */
export function classifyFetchError(error: unknown, state: { timedOut: boolean; callerAborted: boolean }): AttemptOutcome {
  if (state.callerAborted) return { kind: "aborted" };
  if (state.timedOut) return { kind: "timeout" };
  const name = error instanceof Error ? error.name : undefined;
  if (name === "TimeoutError") return { kind: "timeout" };
  // undici's fetch wraps connection failures as `TypeError: fetch failed` with the socket error as cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCode(error) ?? errorCode(cause);
  if (code && NETWORK_CODES.has(code)) return { kind: "network", error };
  if (error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message)) return { kind: "network", error };
  if (name === "SocketError" || (cause instanceof Error && cause.name === "SocketError")) return { kind: "network", error };
  return { kind: "error", error };
}

export interface BackoffOptions {
  /** delay scale of the first retry (ms) */
  baseDelayMs: number;
  /** cap of any single delay (ms) */
  maxDelayMs: number;
  /** [0, 1) source; Math.random by default */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Delay before retry number `retry` (1 for the first retry): "equal jitter" — half of the exponential step
 * fixed, half random — so retries spread out but never fire back-to-back.
 */
export function backoffDelay(retry: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const random = options.random ?? Math.random;
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
