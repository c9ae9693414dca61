/**
 * Bloq's error answers (shared/PROVIDERS.md, Bloq part): `{code, message}` (ours: BloqErrorSchema), except an
 * expired token, which Bloq answers 401 with the plain text `jwt expired`. Errors are thrown as
 * SandboxHttpError like everywhere in the sandbox; sandbox/server.ts renders those under /bloq with
 * `bloqErrorResponse` (errorRendererFor), which turns the `jwt_expired` code into that text.
 *
 * ours (every code below; the real API's codes are unknown):
 * - 400 `invalid_request` bad JSON / body / address form; 404 `not_found` unknown route; 413 `payload_too_large`
 * - 401 `unauthorized` missing or wrong credentials (HTTP Basic, or no Bearer token)
 * - 401 `invalid_token` a token that is not one of ours, or not the kind this endpoint takes
 * - 401 (text) `jwt expired` an expired token, by the sandbox clock
 * - 403 `forbidden` a client token at an Accounts endpoint
 * - 401 `invalid_client` unknown client id or wrong secret; 401 `invalid_grant` a refresh token that is not
 *   valid or whose client key was deleted
 * - 404 `client_key_not_found`; 404 / 401 `user_not_found` (nonce / login); 401 `nonce_invalid` no outstanding
 *   nonce (never asked, used, or expired); 403 `invalid_signature`
 */
import type { z } from "zod";
import { BLOQ_JWT_EXPIRED, type BloqErrorSchema } from "@/lib/providers/bloq/types";
import { SANDBOX_ERROR, SandboxHttpError } from "../http/errors";

export const BLOQ_ERROR = {
  invalidRequest: SANDBOX_ERROR.invalidRequest,
  unauthorized: "unauthorized",
  invalidToken: "invalid_token",
  jwtExpired: "jwt_expired",
  forbidden: "forbidden",
  invalidClient: "invalid_client",
  invalidGrant: "invalid_grant",
  clientKeyNotFound: "client_key_not_found",
  userNotFound: "user_not_found",
  nonceInvalid: "nonce_invalid",
  invalidSignature: "invalid_signature",
} as const;

export function bloqErrorResponse(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  if (code === BLOQ_ERROR.jwtExpired) {
    return new Response(BLOQ_JWT_EXPIRED, { status, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
  }
  const body: z.infer<typeof BloqErrorSchema> = { code, message };
  return Response.json(body, { status, headers });
}

export const bloqError = (status: number, code: string, message: string) => new SandboxHttpError(status, code, message);

export const invalidRequest = (message: string) => bloqError(400, BLOQ_ERROR.invalidRequest, message);
export const jwtExpired = () => bloqError(401, BLOQ_ERROR.jwtExpired, BLOQ_JWT_EXPIRED);
export const invalidToken = (message = "The token is invalid") => bloqError(401, BLOQ_ERROR.invalidToken, message);
