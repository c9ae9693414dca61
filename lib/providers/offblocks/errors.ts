/**
 * OffBlocks answers → our AppError codes. The provider's own error code is kept in `details.upstreamCode`;
 * its message is not passed on (it is not ours to show).
 */
import { AppError } from "../../errors";
import { answerParser } from "../../http/parse-answer";
import type { ProviderResponse } from "../../http/provider-fetch";
import { OFFBLOCKS_ERROR, OffblocksErrorSchema } from "./types";

/** The provider's error code of an answer, if it has one. */
export function upstreamCode(body: unknown): string | undefined {
  const parsed = OffblocksErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

export function offblocksError(response: Pick<ProviderResponse, "status" | "body">, what: string): AppError {
  const code = upstreamCode(response.body);
  const details = { upstreamStatus: response.status, ...(code ? { upstreamCode: code } : {}) };
  if (code === OFFBLOCKS_ERROR.challengeExpired || response.status === 410) {
    return new AppError("challenge_expired", 410, "The challenge expired; a fresh one has been issued", details);
  }
  if (response.status === 400 && code === OFFBLOCKS_ERROR.signatureInvalid) {
    return new AppError("signature_invalid", 400, "OffBlocks did not accept the signature; a fresh challenge has been issued", details);
  }
  if (response.status === 404) return new AppError("offblocks_not_found", 404, `OffBlocks does not know this ${what}`, details);
  if (code === OFFBLOCKS_ERROR.customerExists) return new AppError("customer_exists", 409, "OffBlocks already has this customer", details);
  if (code === OFFBLOCKS_ERROR.invalidState) {
    return new AppError("offblocks_invalid_state", 409, `OffBlocks refused: the ${what} is not in a state that allows this`, details);
  }
  if (code === OFFBLOCKS_ERROR.idempotencyInFlight) {
    return new AppError("offblocks_busy", 503, "OffBlocks is still processing the same request; try again shortly", details);
  }
  if (response.status === 401 || response.status === 403) {
    return new AppError("offblocks_unauthorized", 502, "OffBlocks refused our credentials or request signature", details);
  }
  if (response.status >= 500) return new AppError("offblocks_unavailable", 502, `OffBlocks answered ${response.status}`, details);
  return new AppError("offblocks_rejected", 502, `OffBlocks refused the ${what} request (${response.status}${code ? ` ${code}` : ""})`, details);
}

/** Parses a OffBlocks answer with its wire schema; a mismatch is the provider's fault (502). */
export const parseAnswer = answerParser("offblocks_bad_response", "OffBlocks");
