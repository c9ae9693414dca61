/**
 * The sandbox's one error type and its JSON answer `{error: {code, message}}` (shared/API.md). Anything
 * thrown as a SandboxHttpError becomes that answer; nothing else leaks (no stack traces, no secrets).
 */
import { errorBody } from "@/lib/errors";

export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "SandboxHttpError";
  }
}

/** Turns a refusal into a Response in some provider's error shape. */
export type ErrorRenderer = (status: number, code: string, message: string, headers?: Record<string, string>) => Response;

export function errorResponse(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return Response.json(errorBody(code, message), { status, headers });
}

/** The generic codes of the sandbox's own edge (body reading, routing, controls). */
export const SANDBOX_ERROR = {
  invalidRequest: "invalid_request",
  notFound: "not_found",
  payloadTooLarge: "payload_too_large",
  unsupportedMediaType: "unsupported_media_type",
  internal: "internal_error",
} as const;
