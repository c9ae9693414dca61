/**
 * The app's own session cookie: iron-session (sealed, httpOnly, sameSite=lax, Secure when PUBLIC_URL is
 * https) holding only ids — of the outstanding sign-in nonce and of the signed-in session. What they point
 * to lives in the database (lib/auth/nonce.ts, lib/auth/sessions.ts), so a copy of the cookie is worth
 * nothing once the session ended, on any instance. The onboarding lives in the database too; provider
 * secrets never leave the server.
 *
 * Route handlers call `getSession()` (Next's `cookies()`); the logic that reads and writes a session
 * (lib/auth) takes the session object, so it is tested without Next via `openSession(store, options)`.
 */
import { getIronSession, type CookieJar, type CookieStore, type IronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { sessionPassword, type SessionPasswordSettings } from "./auth/session-password";
import { SESSION_TTL_SECONDS } from "./auth/sessions";
import { config } from "./config";
import { logger } from "./log";

export interface SessionData {
  /** id of the `sign_in_nonces` row issued by GET /api/auth/nonce; single use */
  nonceId?: string;
  /** id of the `auth_sessions` row of the signed-in wallet */
  sessionId?: string;
}

export type AppSession = IronSession<SessionData>;

export const SESSION_COOKIE = "onboarding_session";
export { SESSION_TTL_SECONDS };

export type SessionSettings = SessionPasswordSettings & { publicUrl: string };

export function sessionOptions(settings: SessionSettings): SessionOptions {
  return {
    cookieName: SESSION_COOKIE,
    password: sessionPassword(settings),
    ttl: SESSION_TTL_SECONDS, // the cookie is sealed with the session's lifetime
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

/**
 * Whether the current request carries a session cookie at all. Without one nobody is signed in, which a page
 * knows without unsealing anything or asking the database (the onboarding page then renders its first step).
 */
export async function hasSessionCookie(): Promise<boolean> {
  return (await cookies()).has(SESSION_COOKIE);
}

/** The current request's session (route handlers and server components). */
export async function getSession(): Promise<AppSession> {
  options ??= sessionOptions(config());
  return openSession(await cookies(), options);
}
