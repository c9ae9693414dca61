/**
 * The API's answers read in the browser with the schemas the server answers with (lib/onboarding/view-schema):
 * what the page relies on is checked, what is not the contract's is dropped. Loaded with the first answer
 * (onboarding-api imports it on demand), so the schemas are not part of the page's first load.
 */
import * as z from "zod/mini";
import {
  BloqStepViewSchema,
  ChallengeViewSchema,
  ErrorAnswerSchema,
  FieldErrorsSchema,
  FieldMessageSchema,
  MessageAnswerSchema,
  NonceAnswerSchema,
  OnboardingViewSchema,
  SessionStateSchema,
  SessionViewSchema,
  UnblockStepViewSchema,
} from "@/lib/onboarding/view-schema";
import { ApiError, badResponse } from "./api-error";
import type { BloqStep, Challenge, Onboarding, Session, UnblockStep } from "./onboarding-types";

function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badResponse(what);
  return result.data;
}

export const parseSession = (value: unknown): Session => parseWith(SessionViewSchema, value, "session");
/** GET /api/auth/session's answer: the signed-in wallet, or null when nobody is signed in. */
export function parseSessionState(value: unknown): Session | null {
  const state = parseWith(SessionStateSchema, value, "session");
  return state.signedIn ? { address: state.address, chainId: state.chainId, isStaff: state.isStaff } : null;
}
export const parseOnboarding = (value: unknown): Onboarding => parseWith(OnboardingViewSchema, value, "onboarding");
/** The Unblock step; `not_started` when the server does not (yet) say more. */
export const parseUnblock = (value: unknown): UnblockStep => parseWith(UnblockStepViewSchema, value, "Unblock step");
/** The Bloq step; `not_started` when the server does not (yet) say more. */
export const parseBloq = (value: unknown): BloqStep => parseWith(BloqStepViewSchema, value, "Bloq step");
export const parseNonce = (value: unknown): string => parseWith(NonceAnswerSchema, value, "nonce").nonce;
export const parseMessage = (value: unknown, what: string): string => parseWith(MessageAnswerSchema, value, what).message;

/** An error answer's code, message and other fields; undefined when the body is not one. */
export function parseErrorBody(value: unknown): { code?: string | undefined; message?: string | undefined; [key: string]: unknown } | undefined {
  const result = ErrorAnswerSchema.safeParse(value);
  return result.success ? result.data.error : undefined;
}

/** The onboarding an error answer carries (`error.onboarding`), or null when it has none (or not a readable one). */
export function onboardingFromError(error: unknown): Onboarding | null {
  if (!(error instanceof ApiError) || !error.details.onboarding) return null;
  const result = OnboardingViewSchema.safeParse(error.details.onboarding);
  return result.success ? result.data : null;
}

const DetailsSchema = z.object({ details: z.optional(z.record(z.string(), z.unknown())) });

/** The fresh challenge an error answer carries (400 signature_invalid, 410 challenge_expired), wherever it sits. */
export function challengeFromError(error: ApiError): { onboarding?: Onboarding; challenge?: Challenge } {
  const nested = DetailsSchema.safeParse(error.details);
  const places = [error.details, (nested.success ? nested.data.details : undefined) ?? {}];
  for (const place of places) {
    const onboarding = place.onboarding ? OnboardingViewSchema.safeParse(place.onboarding) : undefined;
    if (onboarding?.success) {
      const challenge = onboarding.data.steps.offblocks.challenge;
      return { onboarding: onboarding.data, ...(challenge ? { challenge } : {}) };
    }
    const challenge = ChallengeViewSchema.safeParse(place.challenge);
    if (challenge.success) return { challenge: challenge.data };
  }
  return {};
}

/** The field-by-field messages of a 400 `invalid_request` / 409 answer (`error.fields`). */
export function fieldErrors(error: ApiError): Record<string, string> {
  const fields = FieldErrorsSchema.safeParse(error.details.fields);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields.success ? fields.data : {})) {
    const message = FieldMessageSchema.safeParse(value);
    if (message.success) result[key] = message.data;
  }
  return result;
}
