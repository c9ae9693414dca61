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

/**
 * The Bloq step (optional, after OffBlocks):
 * - `not_started`: nothing asked yet (POST /api/onboarding/bloq/message starts it)
 * - `message_issued`: `message` (the Bloq text, nonce from Bloq, Issued At = when it was built) awaits the
 *   wallet's signature (POST /api/onboarding/bloq/login)
 * - `linked`: Bloq accepted the signature; we hold the user's stake token until `tokenExpiresAt` (12 h)
 * - `not_allowed`: Bloq does not know this wallet (not on its list of staking customers); the merchant can
 *   allow it at Bloq, then a new message can be asked for
 * - `failed`: Bloq could not answer the login; ask for a new message
 */
export const BLOQ_STEP_STATUSES = ["not_started", "message_issued", "linked", "not_allowed", "failed"] as const;
export type BloqStepStatus = (typeof BLOQ_STEP_STATUSES)[number];

export interface BloqStepView {
  status: BloqStepStatus;
  /** ISO; while `linked`: when the stake token we hold runs out */
  tokenExpiresAt?: string;
  /** while `message_issued`: the text to sign, exactly (personal_sign) */
  message?: string;
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
    bloq: BloqStepView;
  };
}
