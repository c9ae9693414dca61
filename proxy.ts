/**
 * Runs before every request (Next 16's proxy, Node.js runtime): the one place security headers are set and
 * the one place state-changing API requests are checked for a same-origin `Origin` (lib/api/origin.ts) and
 * counted against their route's rate limit (lib/api/app-rate-limiters.ts).
 * Pages get a nonce-based Content-Security-Policy that Next.js applies to its own scripts; this requires
 * pages to be rendered per request (the root layout opts every page into dynamic rendering).
 */
import { NextResponse, type NextRequest } from "next/server";
import { appRateLimiters, routeRateLimit } from "@/lib/api/app-rate-limiters";
import { requestClientAddress } from "@/lib/api/client-address";
import { isOriginExempt, originRefusal } from "@/lib/api/origin";
import {
  API_CONTENT_SECURITY_POLICY,
  COMMON_SECURITY_HEADERS,
  cspNonce,
  pageContentSecurityPolicy,
  rpcConnectOrigins,
} from "@/lib/api/security-headers";
import { config as appConfig } from "@/lib/config";
import { AppError, errorBody } from "@/lib/errors";

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries({ ...COMMON_SECURITY_HEADERS, ...headers })) response.headers.set(name, value);
  return response;
}

let connectOrigins: string[] | undefined;

/** 429 `rate_limited` (with Retry-After) when the request is over its route's limit (lib/api/rate-limits.ts). */
async function rateLimitRefusal(request: NextRequest, pathname: string): Promise<AppError | undefined> {
  const limit = routeRateLimit(request.method, pathname);
  if (!limit) return undefined;
  try {
    await (await appRateLimiters()).consume(limit, requestClientAddress(request.headers));
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const cfg = appConfig();
  const { pathname } = request.nextUrl;

  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const apiHeaders = { "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "Cache-Control": "no-store" };
    const refusal = isOriginExempt(pathname) ? undefined : originRefusal(request, cfg.publicUrl);
    if (refusal) {
      return withHeaders(NextResponse.json(errorBody(refusal.code, refusal.message), { status: refusal.status }), apiHeaders);
    }
    const limited = await rateLimitRefusal(request, pathname);
    if (limited) {
      const retryAfter = String(limited.details?.retryAfterSeconds ?? 60);
      return withHeaders(NextResponse.json(errorBody(limited.code, limited.message, limited.details), { status: limited.status }), {
        ...apiHeaders,
        "Retry-After": retryAfter,
      });
    }
    return withHeaders(NextResponse.next(), apiHeaders);
  }

  if (pathname.startsWith("/_next/")) return withHeaders(NextResponse.next(), {});

  connectOrigins ??= rpcConnectOrigins(cfg.chains);
  const nonce = cspNonce();
  const policy = pageContentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === "development",
    https: new URL(cfg.publicUrl).protocol === "https:",
    connectOrigins,
    walletConnect: Boolean(cfg.walletConnectProjectId),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  requestHeaders.set("x-nonce", nonce); // for a server component that renders its own <Script nonce>
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), { "Content-Security-Policy": policy });
}
