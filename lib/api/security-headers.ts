/**
 * The security headers of every response (set in one place, proxy.ts). Pages get a Content-Security-Policy
 * with a per-request nonce: Next.js reads it from the request's CSP header and puts it on its own scripts, so
 * no inline script runs without it ('strict-dynamic' lets those scripts load the chunks they need). Styles
 * may be inline (RainbowKit injects its theme). `connect-src` allows the app itself, the RPC origins of the
 * configured chains, and WalletConnect only when a project id is configured. API answers get a policy that
 * allows nothing. Nobody may frame the app: it asks for signatures.
 */
import type { Config } from "../config";
import { publicRpcUrls } from "../siwe/chains";

/** Headers every response carries. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** Hosts WalletConnect (Reown) uses from the browser: relay, RPC proxy, explorer, verify. */
export const WALLETCONNECT_SOURCES = {
  connect: [
    "https://*.walletconnect.com",
    "https://*.walletconnect.org",
    "wss://*.walletconnect.com",
    "wss://*.walletconnect.org",
    "https://*.reown.com",
    "wss://*.reown.com",
    "https://*.web3modal.org",
    "https://*.web3modal.com",
  ],
  frame: ["https://verify.walletconnect.com", "https://verify.walletconnect.org", "https://*.reown.com"],
  img: ["https://*.walletconnect.com", "https://*.walletconnect.org", "https://*.reown.com"],
} as const;

export interface PagePolicySettings {
  /** base64 nonce of this response */
  nonce: string;
  /** `next dev` needs eval for its error overlay */
  development: boolean;
  /** upgrade-insecure-requests when the app is served over https */
  https: boolean;
  /** extra connect-src origins (RPC endpoints) */
  connectOrigins: readonly string[];
  walletConnect: boolean;
}

export function pageContentSecurityPolicy(settings: PagePolicySettings): string {
  const wc = settings.walletConnect;
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${settings.nonce}'`, "'strict-dynamic'", ...(settings.development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:", ...(wc ? WALLETCONNECT_SOURCES.img : [])],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...settings.connectOrigins, ...(wc ? WALLETCONNECT_SOURCES.connect : [])],
    ["frame-src", ...(wc ? WALLETCONNECT_SOURCES.frame : ["'none'"])],
    ["worker-src", "'self'", "blob:"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (settings.https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((parts) => parts.join(" ")).join("; ");
}

/** API answers are JSON: nothing may load from them, nobody may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** connect-src origins for the configured chains: their public RPCs and the configured RPC URLs (origin only). */
export function rpcConnectOrigins(chains: Config["chains"]): string[] {
  const urls = chains.ids.flatMap((id) => [...publicRpcUrls(id), ...(chains.rpcUrls[id] ? [chains.rpcUrls[id]] : [])]);
  const origins = new Set<string>();
  for (const url of urls) {
    try {
      origins.add(new URL(url).origin);
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...origins];
}

/** A fresh nonce for one response. */
export function cspNonce(): string {
  return btoa(crypto.randomUUID());
}
