/**
 * One address for the pages: a page requested under another host than PUBLIC_URL's (http://127.0.0.1:3000 for
 * http://localhost:3000, a load balancer's own name, an instance's port) is sent to the same path on PUBLIC_URL
 * before anything is signed there — a sign-in message names PUBLIC_URL's host, and a state-changing request must
 * come from its origin (./origin.ts), so a page served under another host could only end in a refusal. Applied by
 * the app's server (scripts/app-server.ts) before Next.js — whose own redirects would turn the address into a
 * relative one, since Next takes every request for its configured host — and to pages only: API routes and
 * Next's assets answer on any host (a load balancer or a test reaches an instance by its own address), and the
 * API keeps checking `Origin` and sign-in messages against PUBLIC_URL. A proxy in front must pass the client's
 * `Host` on (deploy/nginx/fleet.conf: `proxy_set_header Host $http_host`).
 */

/** Where to send this request (a 308), or undefined when it came to PUBLIC_URL's host or is not a page load. */
export function canonicalPageUrl(request: { method: string; host: string | undefined; url: string }, publicUrl: string): string | undefined {
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;
  const path = request.url.startsWith("/") ? request.url : "/";
  const pathname = path.split("?")[0]!;
  if (pathname === "/api" || pathname.startsWith("/api/") || pathname.startsWith("/_next/")) return undefined;
  const canonical = new URL(publicUrl);
  if (!request.host || request.host.toLowerCase() === canonical.host.toLowerCase()) return undefined;
  return new URL(path, canonical.origin).toString();
}
