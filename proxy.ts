/**
 * Runs before every request (Next 16's proxy, Node.js runtime): the one place state-changing API requests are
 * checked for a same-origin `Origin` (lib/api/origin.ts) and counted against their route's rate limit
 * (lib/api/app-rate-limiters.ts), and the one place pages get their nonce-based Content-Security-Policy, which
 * Next.js applies to its own scripts; this requires pages to be rendered per request (the root layout opts
 * every page into dynamic rendering). The static security headers (and the API policy) are set earlier, on
 * every answer, by the edge guard (lib/edge/guard.ts), which also refuses bad paths, methods and declared body
 * sizes before Next.js reads anything.
 */
import { NextResponse, type NextRequest } from "next/server";
import { appRateLimiters, routeRateLimit } from "@/lib/api/app-rate-limiters";
import { requestClientAddress } from "@/lib/api/client-address";
import { errorResponse } from "@/lib/api/error-response";
import { isOriginExempt, originRefusal } from "@/lib/api/origin";
import { cspNonce, pageContentSecurityPolicy, rpcConnectOrigins } from "@/lib/api/security-headers";
import { config as appConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";

let connectOrigins: string[] | undefined;

/** 429 `rate_limited` (with Retry-After) when the request is over its route's limit (lib/api/rate-limits.ts). */
async function overRateLimit(request: NextRequest, pathname: string): Promise<AppError | undefined> {
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

export async function proxy(request: NextRequest): Promise<Response> {
  const cfg = appConfig();
  const { pathname } = request.nextUrl;

  if (pathname === "/api" || pathname.startsWith("/api/")) {
    const refusal = isOriginExempt(pathname) ? undefined : originRefusal(request, cfg.publicUrl);
    // answered by the one place an AppError becomes JSON (Retry-After included)
    const refused = refusal ?? (await overRateLimit(request, pathname));
    if (refused) return errorResponse(refused);
    return NextResponse.next();
  }

  if (pathname.startsWith("/_next/")) return NextResponse.next();

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
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}
