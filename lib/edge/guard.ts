/**
 * The edge guard: runs on every request of this process's HTTP servers before Next.js handles it (installed
 * once per process from instrumentation.ts by wrapping `http.Server#emit("request")`, since `next start` owns
 * the server). It sets the static security headers on every answer, Next's own 404/500 text/plain included,
 * and answers what ./refusal.ts refuses itself — Next.js cannot: undici refuses to build a Request for TRACE,
 * and the body of a request is streamed into proxy.ts's clone before proxy.ts runs.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "../api/security-headers";
import { errorBody } from "../errors";
import { edgeRefusal, isApiPath, type EdgeAnswer } from "./refusal";

const INSTALLED = Symbol.for("wallet-onboarding.edgeGuard");
/** Connections that already carried a request. */
const SERVED = new WeakSet<object>();

/** Headers of every API answer on top of COMMON_SECURITY_HEADERS. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
  "Cache-Control": "no-store",
};

function answer(req: http.IncomingMessage, res: http.ServerResponse, refusal: EdgeAnswer): void {
  if (refusal.allow) res.setHeader("Allow", refusal.allow);
  if (refusal.status === 413) {
    // a refused body is never read: close the connection instead of draining it
    res.setHeader("Connection", "close");
    res.on("finish", () => req.socket.destroy());
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
    .end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${refusal.status}</title></head><body><h1>${refusal.status}</h1><p>${refusal.message}</p><p><a href="/">Back to the app</a></p></body></html>`);
}

/** A request Node's parser refused (unknown method, bad header…): a JSON 400 with the headers, not a bare one. */
function answerClientError(socket: Duplex): true {
  // after an answer on this connection (leftover bytes of a refused body): just close it
  if (SERVED.has(socket)) {
    socket.destroy();
    return true;
  }
  if (socket.writable) {
    const body = JSON.stringify(errorBody("bad_request", "The request is not valid HTTP."));
    const headers = { ...COMMON_SECURITY_HEADERS, ...API_HEADERS, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), Connection: "close" };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n${body}`);
  }
  return true;
}

/** Handles the request itself (true) or sets the headers and lets Next.js go on (false). */
export function guardRequest(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = req.url ?? "/";
  const api = isApiPath(url.split("?")[0] ?? "/");
  for (const [name, value] of Object.entries({ ...COMMON_SECURITY_HEADERS, ...(api ? API_HEADERS : {}) })) res.setHeader(name, value);
  // the allow-nothing policy by default (Next's redirects, HEAD answers); proxy.ts replaces it on a rendered page
  if (!api) res.setHeader("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  const refusal = edgeRefusal({ method: req.method ?? "GET", url, contentLength: req.headers["content-length"] });
  if (!refusal) return false;
  answer(req, res, refusal);
  return true;
}

export function installEdgeGuard(): void {
  const state = globalThis as { [INSTALLED]?: boolean };
  if (state[INSTALLED]) return;
  state[INSTALLED] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") SERVED.add((args[0] as http.IncomingMessage).socket);
    if (event === "request" && guardRequest(args[0] as http.IncomingMessage, args[1] as http.ServerResponse)) return true;
    if (event === "clientError" && this.listenerCount("clientError") === 0) return answerClientError(args[1] as Duplex);
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
