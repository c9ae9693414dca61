/**
 * What the edge refuses before Next.js sees a request, decided from the method, the raw path and the declared
 * body length alone: a path that is not valid percent-encoding (400), a declared body over the limit (413,
 * at once: nothing of it is read), an unknown /api path (404 `not_found`), a method the route does not answer
 * (405 + `Allow`), and OPTIONS (204 + `Allow`). Next.js itself answers these with a 500 text/plain (TRACE,
 * `%zz` in a segment), its HTML 404, or by waiting for the whole body — hence this check, in one place.
 */
import { MAX_BODY_BYTES } from "../api/body";
import { allowedMethods, API_ROUTES, findRoute } from "./route-table";

export interface EdgeAnswer {
  status: number;
  /** absent for a 204 */
  code?: string;
  message?: string;
  allow?: string;
  /** JSON (under /api) or a small HTML page */
  api: boolean;
}

const PAGE_METHODS = ["GET", "HEAD", "OPTIONS"];

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

function validPercentEncoding(pathname: string): boolean {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function methodAnswer(method: string, allow: string[], api: boolean): EdgeAnswer | undefined {
  if (method === "OPTIONS") return { status: 204, allow: allow.join(", "), api };
  if (allow.includes(method)) return undefined;
  return { status: 405, code: "method_not_allowed", message: `${method} is not allowed here; use ${allow.join(", ")}.`, allow: allow.join(", "), api };
}

function dotSegmentsResolved(pathname: string): string {
  try {
    return new URL(pathname.startsWith("/") ? pathname : `/${pathname}`, "http://edge.invalid").pathname;
  } catch {
    return pathname;
  }
}

export function edgeRefusal(request: { method: string; url: string; contentLength: string | undefined; chunked?: boolean }): EdgeAnswer | undefined {
  const method = request.method.toUpperCase();
  const raw = request.url.split("?")[0] ?? "/";
  if (!validPercentEncoding(raw)) {
    return { status: 400, code: "invalid_path", message: "The request path is not valid percent-encoding.", api: isApiPath(raw) };
  }
  // the path Next.js will route: dot segments (`..`, `%2e`) resolved as a URL resolves them
  const pathname = dotSegmentsResolved(raw);
  const api = isApiPath(pathname);
  if (!validPercentEncoding(pathname)) {
    return { status: 400, code: "invalid_path", message: "The request path is not valid percent-encoding.", api };
  }
  // Next.js cannot read a DELETE body sent without a length (it answers a bare 400 and drops the connection)
  if (request.chunked && request.contentLength === undefined && method === "DELETE") {
    return { status: 411, code: "length_required", message: "Send the body of a DELETE with a Content-Length header.", api };
  }
  if (request.contentLength !== undefined && Number(request.contentLength) > MAX_BODY_BYTES) {
    return { status: 413, code: "payload_too_large", message: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, api };
  }
  if (api) {
    const route = findRoute(API_ROUTES, pathname);
    if (!route) return { status: 404, code: "not_found", message: "There is no API route at this path.", api };
    return methodAnswer(method, allowedMethods(route), api);
  }
  // pages, Next's assets and its 404 page: GET and HEAD only (the app has no server actions)
  return methodAnswer(method, PAGE_METHODS, api);
}
