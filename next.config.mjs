/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native/wasm parts or dynamic requires: loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss", "pino", "http-message-signatures", "drizzle-orm", "rate-limiter-flexible"],
  // Security headers (CSP with a per-request nonce, frame-ancestors, Referrer-Policy, nosniff…) are set in
  // one place: proxy.ts (lib/api/security-headers.ts).
};

export default nextConfig;
