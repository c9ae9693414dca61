/**
 * The onboarding object of the API (shared/API.md), as the browser receives it from every /api/onboarding
 * route and inside `error.onboarding` of the 400 `signature_invalid` / 410 `challenge_expired` answers.
 * Type-only: a client component may import it.
 */

export const ONBOARDING_STATUSES = ["pending", "verified", "failed"] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

/**
 * The OffBlocks step:
 * - `not_started`: no OffBlocks customer yet (its creation failed: OffBlocks was down). Never in a 200 answer —
 *   GET and POST /api/onboarding retry the creation and answer its error — only inside an error's `onboarding`
 * - `challenge_issued`: `challenge` awaits the wallet's signature
 * - `verified`: OffBlocks accepted the signature (passing state, followed by screening)
 * - `screening` → `verifying` (KYC) → `active`; or `rejected` (final)
 * - `failed`: OffBlocks lost the customer after the challenge stage; nothing more can happen on its own
 */
export const OFFBLOCKS_STEP_STATUSES = [
  "not_started",
  "challenge_issued",
  "verified",
  "screening",
  "verifying",
  "active",
  "rejected",
  "failed",
] as const;
export type OffblocksStepStatus = (typeof OFFBLOCKS_STEP_STATUSES)[number];

export interface ChallengeView {
  /** the EIP-4361 text to show and to sign, exactly (personal_sign) */
  message: string;
  /** ISO time after which OffBlocks refuses it */
  expiresAt: string;
}

export interface OffblocksStepView {
  status: OffblocksStepStatus;
  /** OffBlocks' customer id, once the customer exists */
  customerId?: string;
  /** present only while a signature is awaited (`challenge_issued`) */
  challenge?: ChallengeView;
}

/**
 * The Unblock step:
 * - `not_started`: no Unblock user yet (POST /api/onboarding/unblock/user creates it)
 * - `user_created`: the user exists; sign in to Unblock with the wallet (message → login) or an email code
 * - `session_active`: we hold a live Unblock session (until `sessionExpiresAt`); the account can be opened
 * - `session_expired`: the session ran out (4 h) or a newer sign-in ended it; sign in again — the user,
 *   the email and an opened account are kept
 */
export const UNBLOCK_STEP_STATUSES = ["not_started", "user_created", "session_active", "session_expired"] as const;
export type UnblockStepStatus = (typeof UNBLOCK_STEP_STATUSES)[number];

/** The user's Unblock virtual account: IBAN + BIC for EUR, sort code + account number for GBP. */
export interface UnblockAccountView {
  currency: "EUR" | "GBP";
  iban?: string;
  bic?: string;
  sortCode?: string;
  accountNumber?: string;
  accountHolder: string;
}

export interface UnblockStepView {
  status: UnblockStepStatus;
  /** Unblock's user uuid, once the user exists */
  userId?: string;
  email?: string;
  /** ISO; while `session_active`, and (past) once `session_expired` by time */
  sessionExpiresAt?: string;
  /** ISO; when the last email code was sent */
  otpSentAt?: string;
  account?: UnblockAccountView;
}

/** Steps of later issues: always present, `not_started` until those issues land. */
export interface LaterStepView {
  status: "not_started";
}

export interface OnboardingView {
  id: string;
  /** EIP-55 */
  address: string;
  chainId: number;
  status: OnboardingStatus;
  createdAt: string;
  updatedAt: string;
  steps: {
    offblocks: OffblocksStepView;
    unblock: UnblockStepView;
    bloq: LaterStepView;
  };
}
