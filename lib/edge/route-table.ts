/**
 * Every route the app serves and the methods each answers: the API routes (app/api/**\/route.ts and their
 * method exports) and the pages (app/**\/page.tsx). The edge guard (./guard.ts) answers an unknown /api path
 * with a JSON 404 and a method a route does not export with a 405 + `Allow`, before Next.js sees the request;
 * the fuzz suite (testing/fuzz-requests.ts) requests every entry. route-table.test.ts keeps this table
 * equal to the files in app/.
 */

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteEntry {
  /** Next's path pattern, `[name]` for a dynamic segment */
  pattern: string;
  methods: readonly Method[];
}

export const API_ROUTES: readonly RouteEntry[] = [
  { pattern: "/api/admin/staff", methods: ["GET", "POST", "DELETE"] },
  { pattern: "/api/auth/logout", methods: ["POST"] },
  { pattern: "/api/auth/nonce", methods: ["GET"] },
  { pattern: "/api/auth/session", methods: ["GET"] },
  { pattern: "/api/auth/verify", methods: ["POST"] },
  { pattern: "/api/health", methods: ["GET"] },
  { pattern: "/api/onboarding", methods: ["GET", "POST"] },
  { pattern: "/api/onboarding/bloq/login", methods: ["POST"] },
  { pattern: "/api/onboarding/bloq/message", methods: ["POST"] },
  { pattern: "/api/onboarding/offblocks/challenge", methods: ["POST"] },
  { pattern: "/api/onboarding/offblocks/sign", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/account", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/login", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/message", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/otp", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/otp/verify", methods: ["POST"] },
  { pattern: "/api/onboarding/unblock/user", methods: ["POST"] },
  { pattern: "/api/staff/metrics", methods: ["GET"] },
  { pattern: "/api/staff/onboardings", methods: ["GET"] },
  { pattern: "/api/staff/onboardings.csv", methods: ["GET"] },
  { pattern: "/api/staff/onboardings/[id]", methods: ["GET"] },
  { pattern: "/api/staff/providers", methods: ["GET"] },
  { pattern: "/api/staff/providers/offblocks/credentials", methods: ["POST", "DELETE"] },
  { pattern: "/api/staff/sessions", methods: ["GET"] },
  { pattern: "/api/staff/sessions/end", methods: ["POST"] },
  { pattern: "/api/staff/simulator/clock", methods: ["POST"] },
  { pattern: "/api/staff/simulator/customers/[id]/reject", methods: ["POST"] },
  { pattern: "/api/staff/simulator/customers/[id]/verify", methods: ["POST"] },
  { pattern: "/api/staff/stream", methods: ["GET"] },
  { pattern: "/api/webhooks/offblocks/[secret]", methods: ["POST"] },
];

/** Pages answer GET (and HEAD); the app has no server actions, so nothing else. */
export const PAGE_ROUTES: readonly RouteEntry[] = [
  { pattern: "/", methods: ["GET"] },
  { pattern: "/sandbox/mailbox", methods: ["GET"] },
  { pattern: "/staff", methods: ["GET"] },
  { pattern: "/staff/onboardings", methods: ["GET"] },
  { pattern: "/staff/onboardings/[id]", methods: ["GET"] },
  { pattern: "/staff/providers", methods: ["GET"] },
  { pattern: "/staff/sessions", methods: ["GET"] },
];

function matches(pattern: string, segments: readonly string[]): boolean {
  const parts = pattern.split("/").slice(1);
  if (pattern === "/") return segments.length === 0;
  return parts.length === segments.length && parts.every((part, i) => part.startsWith("[") || part === segments[i]);
}

/** The API route a path (already split into decoded segments, `/api/...`) belongs to, if any. */
export function findRoute(routes: readonly RouteEntry[], pathname: string): RouteEntry | undefined {
  const segments = pathname
    .split("/")
    .slice(1)
    .filter((s, i, all) => s !== "" || i < all.length - 1);
  return routes.find((route) => matches(route.pattern, segments));
}

/** The `Allow` header of a route: its methods, HEAD where GET, and OPTIONS. */
export function allowedMethods(route: RouteEntry): string[] {
  return [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}
