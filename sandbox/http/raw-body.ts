/**
 * Reads the request body once, as raw bytes (the Content-Digest and the idempotency fingerprint are
 * computed over exactly what was received), refusing anything over 64 KiB with 413 before or while reading.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { SandboxEnv } from "./env";
import { SANDBOX_ERROR, SandboxHttpError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

function tooLarge(): SandboxHttpError {
  return new SandboxHttpError(413, SANDBOX_ERROR.payloadTooLarge, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
}

export function readRawBody(limit = MAX_BODY_BYTES): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge();
    const stream = c.req.raw.body;
    if (!stream) {
      c.set("rawBody", new Uint8Array(0));
      return next();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          void reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof SandboxHttpError) throw error;
      throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, "Request body could not be read");
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.set("rawBody", body);
    return next();
  };
}

/** The request target as received: path and query, neither decoded nor normalised. */
export function requestTarget(c: Context<SandboxEnv>): { path: string; query: string } {
  let raw =
    c.env?.incoming?.url ??
    (() => {
      const url = new URL(c.req.url);
      return url.pathname + url.search;
    })();
  // absolute-form (`GET http://host/path HTTP/1.1`, as sent to proxies): keep only path and query
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(raw);
  if (absolute) raw = raw.slice(absolute[0].length) || "/";
  const mark = raw.indexOf("?");
  return mark < 0 ? { path: raw, query: "" } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}
