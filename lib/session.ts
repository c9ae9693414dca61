/**
 * The app's own session: an iron-session cookie (sealed, httpOnly, sameSite=lax, Secure when PUBLIC_URL is
 * https) holding the sign-in nonce while one is outstanding, then the signed-in wallet. Nothing else: the
 * onboarding lives in the database, provider secrets never leave the server.
 *
 * Route handlers call `getSession()` (Next's `cookies()`); the logic that reads and writes a session
 * (lib/auth) takes the session object, so it is tested without Next via `openSession(store, options)`.
 */
import { getIronSession, type CookieJar, type CookieStore, type IronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import type { Address } from "viem";
import { sessionPassword, type SessionPasswordSettings } from "./auth/session-password";
import { config } from "./config";
import { logger } from "./log";

export interface SessionData {
  /** the SIWE nonce issued by GET /api/auth/nonce; single use */
  nonce?: string;
  /** ms since epoch */
  nonceIssuedAt?: number;
  /** EIP-55 address of the signed-in wallet */
  address?: Address;
  chainId?: number;
  /** ms since epoch */
  signedInAt?: number;
}

export type AppSession = IronSession<SessionData>;

export const SESSION_COOKIE = "onboarding_session";
/** A sign-in lasts a day; the cookie is sealed with the same lifetime. */
export const SESSION_TTL_SECONDS = 24 * 3600;

export type SessionSettings = SessionPasswordSettings & { publicUrl: string };

export function sessionOptions(settings: SessionSettings): SessionOptions {
  return {
    cookieName: SESSION_COOKIE,
    password: sessionPassword(settings),
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: new URL(settings.publicUrl).protocol === "https:", path: "/" },
    onUnsealError: (reason) => {
      if (reason !== "expired") logger().warn({ reason }, "session cookie rejected");
    },
  };
}

/** A session over any cookie store (tests, scripts). */
export function openSession(store: CookieStore | CookieJar, options: SessionOptions): Promise<AppSession> {
  return getIronSession<SessionData>(store, options);
}

let options: SessionOptions | undefined;

/** The current request's session (route handlers and server components). */
export async function getSession(): Promise<AppSession> {
  options ??= sessionOptions(config());
  return openSession(await cookies(), options);
}
