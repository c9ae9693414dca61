/**
 * The edge guard: runs on every request before Next.js handles it (the app's own HTTP server,
 * scripts/app-server.ts, calls `guardRequest` first and answers parser errors with `answerClientError`). It
 * sets the static security headers on every answer, Next's own 404/500 text/plain included, and answers what
 * ./refusal.ts refuses itself — Next.js cannot: undici refuses to build a Request for TRACE, and the body of a
 * request is streamed into proxy.ts's clone before proxy.ts runs.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "../api/security-headers";
import { errorBody } from "../errors";
import { edgeRefusal, isApiPath, type EdgeAnswer } from "./refusal";

/** A refused body is drained this long (the client may still be sending it), then the connection is closed. */
const REFUSED_BODY_DRAIN_MS = 1_000;
/** Connections that already carried a request, with that request's answer. */
const SERVED = new WeakMap<object, http.ServerResponse>();

/** Headers of every API answer on top of COMMON_SECURITY_HEADERS. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
  "Cache-Control": "no-store",
};

function answer(req: http.IncomingMessage, res: http.ServerResponse, refusal: EdgeAnswer): void {
  if (refusal.allow) res.setHeader("Allow", refusal.allow);
  if (refusal.status === 413) {
    // a refused body is not read into memory: its bytes are let through for a moment, so a client still
    // sending reads the answer instead of a reset, then the connection is closed whatever was declared
    res.setHeader("Connection", "close");
    req.resume();
    res.on("finish", () => setTimeout(() => req.socket.destroy(), REFUSED_BODY_DRAIN_MS).unref());
  } else {
    // a small body is drained, so it is not read as the next request on this connection
    req.resume();
  }
  if (refusal.status === 204 || !refusal.code || !refusal.message) {
    res.writeHead(refusal.status).end();
    return;
  }
  if (refusal.api) {
    res.writeHead(refusal.status, { "Content-Type": "application/json" }).end(JSON.stringify(errorBody(refusal.code, refusal.message)));
    return;
  }
  res
    .writeHead(refusal.status, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": API_CONTENT_SECURITY_POLICY })
    .end(
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${refusal.status}</title></head><body><h1>${refusal.status}</h1><p>${refusal.message}</p><p><a href="/">Back to the app</a></p></body></html>`,
    );
}

/** A request Node's parser refused (unknown method, bad header…): a JSON 400 with the headers, not a bare one. */
export function answerClientError(socket: Duplex): true {
  // bytes after a request on this connection (a body sent without a length, leftovers of a refused body):
  // close it — once the answer to that request is out, so its client still reads it
  const inFlight = SERVED.get(socket);
  if (inFlight) {
    if (inFlight.writableFinished || inFlight.destroyed) socket.destroy();
    else {
      inFlight.once("close", () => socket.destroy());
      setTimeout(() => socket.destroy(), 30_000).unref();
    }
    return true;
  }
  if (socket.writable) {
    const body = JSON.stringify(errorBody("bad_request", "The request is not valid HTTP."));
    const headers = {
      ...COMMON_SECURITY_HEADERS,
      ...API_HEADERS,
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      Connection: "close",
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${body}`);
  }
  return true;
}

/** Handles the request itself (true) or sets the headers and lets Next.js go on (false). */
export function guardRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  SERVED.set(req.socket, res);
  const url = req.url ?? "/";
  const api = isApiPath(url.split("?")[0] ?? "/");
  for (const [name, value] of Object.entries({ ...COMMON_SECURITY_HEADERS, ...(api ? API_HEADERS : {}) })) res.setHeader(name, value);
  // the allow-nothing policy by default (Next's redirects, HEAD answers); proxy.ts replaces it on a rendered page
  if (!api) res.setHeader("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  const chunked = /chunked/i.test(String(req.headers["transfer-encoding"] ?? ""));
  const refusal = edgeRefusal({ method: req.method ?? "GET", url, contentLength: req.headers["content-length"], chunked });
  if (!refusal) return false;
  answer(req, res, refusal);
  return true;
}
