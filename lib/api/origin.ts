/**
 * Cross-site request forgery guard: a state-changing request (POST, PUT, PATCH, DELETE) under /api must
 * carry an `Origin` header equal to the app's own origin (PUBLIC_URL). Browsers send Origin on every such
 * request, same-origin fetches included; a missing, `null` or foreign Origin is refused with
 * 403 `origin_forbidden`. Applied to every /api route by proxy.ts, except provider webhooks (ORIGIN_EXEMPT_PREFIXES).
 */
import { AppError } from "../errors";

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Paths called server to server — by a provider (webhooks) or by the CLI (admin) — with no browser, no
 * cookie, no Origin: each is authenticated by its own secret instead (lib/webhooks, lib/staff/admin-token).
 */
export const ORIGIN_EXEMPT_PREFIXES: readonly string[] = ["/api/webhooks/", "/api/admin/"];

export function isOriginExempt(pathname: string): boolean {
  return ORIGIN_EXEMPT_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING_METHODS.has(method.toUpperCase());
}

/** The refusal for this request, or undefined when it may go on. `appOrigin` is e.g. `http://localhost:3000`. */
export function originRefusal(request: { method: string; headers: Headers }, appOrigin: string): AppError | undefined {
  if (!isStateChanging(request.method)) return undefined;
  const origin = request.headers.get("origin");
  const expected = new URL(appOrigin).origin;
  if (origin === expected) return undefined;
  return new AppError(
    "origin_forbidden",
    403,
    origin ? "This request comes from another site and was refused." : "This request carries no Origin header and was refused.",
  );
}
