/**
 * The end-user API's answers (shared/API.md) as zod schemas, written once: the onboarding object every
 * /api/onboarding route answers (also inside `error.onboarding` of the 400 `signature_invalid` / 410
 * `challenge_expired` answers), the session, the texts to sign and the error body. ./types.ts derives the
 * onboarding's TypeScript types from them, and the browser parses the answers with them
 * (components/onboarding/api-answers.ts). `zod/mini`, so the page pays little for them.
 *
 * What the browser can live without is read leniently, as it always was: an Unblock or Bloq step it cannot
 * read is `not_started`, an account it cannot read is left out, an overall status it does not know is
 * `pending`. The OffBlocks step, the id and the address are required.
 */
import * as z from "zod/mini";

export const ONBOARDING_STATUSES = ["pending", "verified", "failed"] as const;

/**
 * The OffBlocks step:
 * - `not_started`: no OffBlocks customer yet (its creation failed: OffBlocks was down). Never in a 200 answer —
 *   GET and POST /api/onboarding retry the creation and answer its error — only inside an error's `onboarding`
 * - `challenge_issued`: `challenge` awaits the wallet's signature
 * - `verified`: OffBlocks accepted the signature (passing state, followed by screening)
 * - `screening` → `verifying` (KYC) → `active`; or `rejected` (final)
 * - `failed`: OffBlocks lost the customer after the challenge stage; nothing more can happen on its own
 */
export const OFFBLOCKS_STEP_STATUSES = ["not_started", "challenge_issued", "verified", "screening", "verifying", "active", "rejected", "failed"] as const;

/**
 * The Unblock step:
 * - `not_started`: no Unblock user yet (POST /api/onboarding/unblock/user creates it)
 * - `user_created`: the user exists; sign in to Unblock with the wallet (message → login) or an email code
 * - `session_active`: we hold a live Unblock session (until `sessionExpiresAt`); the account can be opened
 * - `session_expired`: the session ran out (4 h) or a newer sign-in ended it; sign in again — the user,
 *   the email and an opened account are kept
 */
export const UNBLOCK_STEP_STATUSES = ["not_started", "user_created", "session_active", "session_expired"] as const;

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

export const ChallengeViewSchema = z.object({
  /** the EIP-4361 text to show and to sign, exactly (personal_sign) */
  message: z.string(),
  /** ISO time after which OffBlocks refuses it */
  expiresAt: z.string(),
});

export const OffblocksStepViewSchema = z.object({
  status: z.enum(OFFBLOCKS_STEP_STATUSES),
  /** OffBlocks' customer id, once the customer exists */
  customerId: z.optional(z.string()),
  /** present only while a signature is awaited (`challenge_issued`) */
  challenge: z.optional(ChallengeViewSchema),
});

/** The user's Unblock virtual account: IBAN + BIC for EUR, sort code + account number for GBP. */
export const UnblockAccountViewSchema = z.object({
  currency: z.enum(["EUR", "GBP"]),
  iban: z.optional(z.string()),
  bic: z.optional(z.string()),
  sortCode: z.optional(z.string()),
  accountNumber: z.optional(z.string()),
  accountHolder: z.string(),
});

const NOT_STARTED = { status: "not_started" } as const;

export const UnblockStepViewSchema = z.catch(
  z.object({
    status: z.catch(z.enum(UNBLOCK_STEP_STATUSES), "not_started"),
    /** Unblock's user uuid, once the user exists */
    userId: z.optional(z.string()),
    email: z.optional(z.string()),
    /** ISO 3166-1 alpha-2, as the person gave it in the form (the account's currency is preselected from it) */
    country: z.optional(z.string()),
    /** ISO; while `session_active`, and (past) once `session_expired` by time */
    sessionExpiresAt: z.optional(z.string()),
    /** ISO; when the last email code was sent */
    otpSentAt: z.optional(z.string()),
    account: z.catch(z.optional(UnblockAccountViewSchema), undefined),
  }),
  NOT_STARTED,
);

export const BloqStepViewSchema = z.catch(
  z.object({
    status: z.catch(z.enum(BLOQ_STEP_STATUSES), "not_started"),
    /** ISO; while `linked`: when the stake token we hold runs out */
    tokenExpiresAt: z.optional(z.string()),
    /** while `message_issued`: the text to sign, exactly (personal_sign) */
    message: z.optional(z.string()),
  }),
  NOT_STARTED,
);

export const OnboardingViewSchema = z.object({
  id: z.string(),
  /** EIP-55 */
  address: z.string(),
  chainId: z.catch(z.number(), 0),
  status: z.catch(z.enum(ONBOARDING_STATUSES), "pending"),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.object({
    offblocks: OffblocksStepViewSchema,
    unblock: UnblockStepViewSchema,
    bloq: BloqStepViewSchema,
  }),
});

/** 200 of POST /api/auth/verify: the signed-in wallet. */
export const SessionViewSchema = z.object({
  address: z.string(),
  chainId: z.number(),
  isStaff: z.catch(z.boolean(), false),
});

/** 200 of GET /api/auth/session: `{signedIn: true, …the wallet}` or `{signedIn: false}` (no 401 for "nobody yet"). */
export const SessionStateSchema = z.union([z.extend(SessionViewSchema, { signedIn: z.literal(true) }), z.object({ signedIn: z.literal(false) })]);

/** 200 of GET /api/auth/nonce. */
export const NonceAnswerSchema = z.object({ nonce: z.string() });

/** 200 of the routes that build a text to sign (Unblock's and Bloq's `message`). */
export const MessageAnswerSchema = z.object({ message: z.string() });

/**
 * The body of every error answer: `error.code`, `error.message` and the code's other fields (a fresh
 * `challenge` or `onboarding`, `fields`, `reason`, `details`), kept as they are.
 */
export const ErrorAnswerSchema = z.object({
  error: z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()) }),
});

/** `error.fields` of a 400 `invalid_request` / 409 answer, field by field (each read with FieldMessageSchema). */
export const FieldErrorsSchema = z.record(z.string(), z.unknown());

/** One field's message: the text, or a list of texts (the first is shown). */
export const FieldMessageSchema = z.union([
  z.string(),
  z.pipe(
    z.tuple([z.string()], z.unknown()),
    z.transform(([first]) => first),
  ),
]);
