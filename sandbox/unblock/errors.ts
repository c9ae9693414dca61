/**
 * Unblock's error answer `{error_id, message}` (shared/PROVIDERS.md) and shorthands for the emulator's
 * refusals. Errors are thrown as SandboxHttpError like everywhere in the sandbox; sandbox/server.ts renders
 * those under /unblock in Unblock's shape (errorRendererFor) and everywhere else as `{error: {code, message}}`.
 */
import { UNBLOCK_ERROR, type UnblockErrorBody } from "@/lib/providers/unblock/types";
import { SandboxHttpError } from "../http/errors";

export function unblockErrorResponse(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  const body: UnblockErrorBody = { error_id: code, message };
  return Response.json(body, { status, headers });
}

export const unblockError = (status: number, errorId: string, message: string) => new SandboxHttpError(status, errorId, message);

export const invalidRequest = (message: string) => unblockError(400, UNBLOCK_ERROR.invalidRequest, message);
export const unauthorized = (message: string) => unblockError(401, UNBLOCK_ERROR.unauthorized, message);
export const userNotFound = () => unblockError(404, UNBLOCK_ERROR.userNotFound, "No user with this identity");
export const siweInvalid = (message: string) => unblockError(401, UNBLOCK_ERROR.siweInvalid, message);
