/**
 * The onboarding object of the API (shared/API.md), as the browser receives it from every /api/onboarding
 * route and inside `error.onboarding` of the 400 `signature_invalid` / 410 `challenge_expired` answers.
 * The types are derived from the schemas in ./view-schema.ts (the statuses are documented there); type-only
 * apart from the status lists, so a client component may import it.
 */
import type * as z from "zod/mini";
import type {
  BloqStepViewSchema,
  ChallengeViewSchema,
  OffblocksStepViewSchema,
  OnboardingViewSchema,
  UnblockAccountViewSchema,
  UnblockStepViewSchema,
} from "./view-schema";

export { BLOQ_STEP_STATUSES, OFFBLOCKS_STEP_STATUSES, ONBOARDING_STATUSES, UNBLOCK_STEP_STATUSES } from "./view-schema";
import type { BLOQ_STEP_STATUSES, OFFBLOCKS_STEP_STATUSES, ONBOARDING_STATUSES, UNBLOCK_STEP_STATUSES } from "./view-schema";

export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];
export type OffblocksStepStatus = (typeof OFFBLOCKS_STEP_STATUSES)[number];
export type UnblockStepStatus = (typeof UNBLOCK_STEP_STATUSES)[number];
export type BloqStepStatus = (typeof BLOQ_STEP_STATUSES)[number];

export type ChallengeView = z.output<typeof ChallengeViewSchema>;
export type OffblocksStepView = z.output<typeof OffblocksStepViewSchema>;
export type UnblockAccountView = z.output<typeof UnblockAccountViewSchema>;
export type UnblockStepView = z.output<typeof UnblockStepViewSchema>;
export type BloqStepView = z.output<typeof BloqStepViewSchema>;
export type OnboardingView = z.output<typeof OnboardingViewSchema>;
