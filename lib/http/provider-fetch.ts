/**
 * The one way the app calls a provider over HTTP. Per call: the JSON body is serialised once (so every
 * attempt sends the same bytes, `Content-Digest` and `Idempotency-Key`); per attempt: a timeout through an
 * AbortSignal, a fresh request signature (fresh `created`), and one structured log line without secrets.
 * Retries (bounded, jittered) happen on 5xx, timeouts and connection errors only (./retry.ts); once they
 * are used up the call fails with AppError `<provider>_unavailable` (502). Any other answer — 2xx, 3xx,
 * 4xx — is returned as `{status, body}` with the body parsed as JSON when it is JSON.
 */
import type { Logger } from "pino";
import { AppError } from "../errors";
import { contentDigest } from "./content-digest";
import type { RequestSigner } from "./request-signature";
import { backoffDelay, classifyFetchError, DEFAULT_BACKOFF, isRetryable, sleep, type AttemptOutcome, type BackoffOptions } from "./retry";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ProviderCall {
  method: HttpMethod;
  /** absolute URL */
  url: string | URL;
  /** appended to the URL; undefined values are left out */
  query?: Record<string, string | undefined>;
  /** serialised as JSON; undefined = no body */
  body?: unknown;
  /** full header value, e.g. `Bearer <token>` */
  authorization?: string;
  idempotencyKey?: string;
  /** signs each attempt (RFC 9421) */
  sign?: RequestSigner;
  /** overrides the client's setting for this call */
  maxRetries?: number;
  /** the caller's cancellation: stops the call without retrying */
  signal?: AbortSignal;
}

export interface ProviderResponse {
  status: number;
  /** parsed JSON, the raw text when it is not JSON, null when empty */
  body: unknown;
  headers: Headers;
  /** how many attempts it took */
  attempts: number;
}

export type ProviderFetch = (call: ProviderCall) => Promise<ProviderResponse>;

/** A 2xx answer. */
export const isSuccess = (response: Pick<ProviderResponse, "status">) => response.status >= 200 && response.status <= 299;

export interface ProviderFetchOptions {
  /** short name used in logs and error codes, e.g. "offblocks" */
  provider: string;
  timeoutMs: number;
  maxRetries: number;
  logger?: Logger;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
}

export function buildUrl(url: string | URL, query?: Record<string, string | undefined>): URL {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.append(name, value);
  return target;
}

export function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createProviderFetch(options: ProviderFetchOptions): ProviderFetch {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const wait = options.sleep ?? sleep;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const log = options.logger;

  return async function providerFetch(call) {
    const url = buildUrl(call.url, call.query);
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const baseHeaders: Record<string, string> = { accept: "application/json" };
    if (call.authorization) baseHeaders.authorization = call.authorization;
    if (payload !== undefined) {
      baseHeaders["content-type"] = "application/json";
      baseHeaders["content-digest"] = contentDigest(payload);
    }
    if (call.idempotencyKey) baseHeaders["idempotency-key"] = call.idempotencyKey;
    const maxRetries = call.maxRetries ?? options.maxRetries;
    const logFields = { provider: options.provider, method: call.method, path: url.pathname, idempotencyKey: call.idempotencyKey };

    let last: AttemptOutcome = { kind: "timeout" };
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      if (call.signal?.aborted) throw call.signal.reason;
      const headers = { ...baseHeaders };
      if (call.sign) Object.assign(headers, await call.sign({ method: call.method, url, headers: { ...baseHeaders } }));

      const started = performance.now();
      const controller = new AbortController();
      const state = { timedOut: false, callerAborted: false };
      const timer = setTimeout(() => {
        state.timedOut = true;
        controller.abort(new DOMException(`no answer within ${options.timeoutMs} ms`, "TimeoutError"));
      }, options.timeoutMs);
      const onCallerAbort = () => {
        state.callerAborted = true;
        controller.abort(call.signal?.reason);
      };
      call.signal?.addEventListener("abort", onCallerAbort, { once: true });
      let response: ProviderResponse | undefined;
      try {
        const answer = await fetchImpl(url, { method: call.method, headers, body: payload, signal: controller.signal, redirect: "manual" });
        const text = await answer.text();
        response = { status: answer.status, body: parseBody(text), headers: answer.headers, attempts: attempt };
        last = { kind: "response", status: answer.status };
      } catch (error) {
        last = classifyFetchError(error, state);
      } finally {
        clearTimeout(timer);
        call.signal?.removeEventListener("abort", onCallerAbort);
      }
      const durationMs = Math.round(performance.now() - started);
      const retrying = isRetryable(last) && attempt <= maxRetries;
      const delayMs = retrying ? backoffDelay(attempt, backoff) : undefined;
      const outcome = last.kind === "response" ? { status: last.status } : { outcome: last.kind, error: describe(last) };
      const level = last.kind === "response" && last.status < 500 ? "info" : "warn";
      log?.[level]({ ...logFields, attempt, ...outcome, durationMs, retryInMs: delayMs }, `${options.provider} ${call.method} ${url.pathname}`);

      if (last.kind === "aborted") throw call.signal?.reason ?? new DOMException("aborted", "AbortError");
      if (last.kind === "error") throw last.error;
      if (response && !isRetryable(last)) return response;
      if (delayMs !== undefined) await wait(delayMs);
    }
    const attempts = maxRetries + 1;
    const why = last.kind === "response" ? `answered ${last.status}` : last.kind === "timeout" ? "timed out" : "was unreachable";
    throw new AppError(`${options.provider}_unavailable`, 502, `${options.provider} ${why} (${attempts} attempt${attempts === 1 ? "" : "s"})`, {
      attempts,
      ...(last.kind === "response" ? { upstreamStatus: last.status } : { reason: last.kind }),
    });
  };
}

function describe(outcome: AttemptOutcome): string | undefined {
  if (outcome.kind !== "network" && outcome.kind !== "error") return undefined;
  const error = outcome.error;
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
