/** Shorthands for the OffBlocks error answers (codes from lib/providers/offblocks/types.ts). */
import { OFFBLOCKS_ERROR } from "@/lib/providers/offblocks/types";
import { SandboxHttpError } from "../http/errors";

export const unauthorized = (message: string) => new SandboxHttpError(401, OFFBLOCKS_ERROR.unauthorized, message);
export const invalidRequest = (message: string) => new SandboxHttpError(400, OFFBLOCKS_ERROR.invalidRequest, message);
export const notFound = (what: string) => new SandboxHttpError(404, OFFBLOCKS_ERROR.notFound, `${what} not found`);
export const invalidState = (message: string) => new SandboxHttpError(409, OFFBLOCKS_ERROR.invalidState, message);
