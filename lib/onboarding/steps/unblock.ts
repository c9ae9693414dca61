/**
 * The Unblock step of an onboarding (provider "unblock" in `onboarding_steps`):
 * - `external_id`: Unblock's user uuid; `details`: what the user typed (first/last name, email, country),
 *   when the last email code was sent, the opened account — never a secret;
 * - `challenge` / `challenge_expires_at`: the SIWE text we built for Unblock while it awaits a signature —
 *   its nonce is ours, remembered here and spent (cleared) before the login is sent: single use;
 * - `secret` / `secret_expires_at`: the Unblock session id, AES-GCM sealed (bound to the onboarding), and
 *   its 4 h expiry. It leaves the server only as Unblock's `unblock-session-id` header: never in the view,
 *   an error, an event or a log line.
 * Statuses: user_created → session_active (SIWE or email code) → session_expired (4 h passed, or Unblock
 * answered 401/403: a newer login ended it) → session_active again by signing in again; nothing else is lost.
 * Every Unblock call is a `provider_call` event and every status move a `status_change` event.
 */
import { and, eq } from "drizzle-orm";
import type { Logger } from "pino";
import { getAddress, type Address, type Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { z } from "zod";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { onboardings, onboardingSteps } from "../../db/schema";
import { AppError } from "../../errors";
import {
  invalidUserFields,
  SESSION_EXPIRED_CODE,
  UNBLOCK_LIFETIMES,
  unblockSiweTarget,
  userFieldErrors,
  CountryCodeSchema,
  UnblockNameSchema,
  type NewUnblockUser,
  type UnblockApi,
  type UnblockCurrency,
  type UnblockSignIn,
  type UnblockSiweMessage,
} from "../../providers/unblock";
import { eoaSignatureCheck, verifySiwe, type SignatureCheck } from "../../siwe/verify";
import { recordEvent, type UnblockOperation } from "../events";
import { recordedCalls } from "./recorded-calls";
import type { OnboardingView, UnblockAccountView, UnblockStepStatus, UnblockStepView } from "../types";
import type { State, StepRow } from "./step-types";

export const UNBLOCK = "unblock" as const;

/** What the step needs of the Unblock client (lib/providers/unblock). */
export type UnblockStepClient = Pick<
  UnblockApi,
  "createUser" | "loginWithSiwe" | "requestOtp" | "verifyOtp" | "openBankAccount" | "providerNow" | "getUser"
> & {
  siweMessage(address: string, issuedAt?: Date): UnblockSiweMessage;
  readonly baseUrl: string;
  readonly chainId: number;
};

/**
 * The local check of a wallet's signature of the Unblock message: ecrecover, then EIP-1271/6492 on chain when
 * the chain has an RPC URL (`check`). Unblock accepts contract wallets; when we cannot check one (no RPC URL
 * for UNBLOCK_CHAIN_ID) and the signature is not a plain 65-byte one, Unblock decides. A 65-byte signature
 * that does not recover the wallet is refused here, before it reaches Unblock.
 */
export function unblockSignatureCheck(check: SignatureCheck, rpcUrls: Readonly<Record<number, string>>): SignatureCheck {
  return async (args) => {
    if (await check(args)) return true;
    const plainSignature = /^0x[0-9a-fA-F]{130}$/.test(args.signature);
    return !plainSignature && rpcUrls[args.chainId] === undefined;
  };
}

/** The form of `POST /api/onboarding/unblock/user`. */
export interface UnblockUserForm {
  firstName: string;
  lastName: string;
  email: string;
  country: string;
}

const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);
export const UnblockUserFormSchema = z.object({
  firstName: z.preprocess(trimmed, UnblockNameSchema),
  lastName: z.preprocess(trimmed, UnblockNameSchema),
  email: z.preprocess(trimmed, z.string().email("must be an email address").max(254, "must be at most 254 characters")),
  country: z.preprocess((value) => (typeof value === "string" ? value.trim().toUpperCase() : value), CountryCodeSchema),
});
export const UnblockLoginBodySchema = z.object({
  signature: z
    .string()
    .max(2 + 2 * 16_384, "is too long")
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "must be 0x followed by hex bytes")
    .transform((value) => value as Hex),
});
export const UnblockOtpBodySchema = z.object({ code: z.string().regex(/^\d{4,6}$/, "must be the 4 to 6 digit code from the email") });
export const UnblockAccountBodySchema = z.object({ currency: z.enum(["EUR", "GBP"], "must be EUR or GBP") });

/** The form's fields, checked one by one: 400 `invalid_request` with `fields: {firstName?, lastName?, email?, country?}`. */
export function parseUnblockUserForm(input: unknown): UnblockUserForm {
  const parsed = UnblockUserFormSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = issue.path[0];
    if (typeof name === "string" && fields[name] === undefined) fields[name] = issue.message;
  }
  if (Object.keys(fields).length === 0) fields.form = "must be an object with firstName, lastName, email and country";
  throw invalidUserFields(fields);
}

interface StoredDetails {
  firstName?: string;
  lastName?: string;
  email?: string;
  country?: string;
  otpSentAt?: string;
  account?: UnblockAccountView;
}

const UNBLOCK_STATUSES: ReadonlySet<string> = new Set(["user_created", "session_active", "session_expired"]);

function storedStatus(step: StepRow | undefined): UnblockStepStatus {
  return step && UNBLOCK_STATUSES.has(step.status) ? (step.status as UnblockStepStatus) : "not_started";
}

function detailsOf(step: StepRow | undefined): StoredDetails {
  return (step?.details ?? {}) as StoredDetails;
}

const sessionLive = (step: StepRow, at: Date) => step.secret !== null && step.secretExpiresAt !== null && step.secretExpiresAt.getTime() > at.getTime();

/** The step's status as it is at `at`: an active session whose 4 h passed reads `session_expired`. */
export function unblockStatusAt(step: StepRow | undefined, at: Date): UnblockStepStatus {
  const status = storedStatus(step);
  return status === "session_active" && step && !sessionLive(step, at) ? "session_expired" : status;
}

/** The Unblock step of the onboarding object (no secret in it). */
export function unblockView(step: StepRow | undefined, at: Date): UnblockStepView {
  const status = unblockStatusAt(step, at);
  if (!step || status === "not_started") return { status: "not_started" };
  const details = detailsOf(step);
  const view: UnblockStepView = { status };
  if (step.externalId) view.userId = step.externalId;
  if (details.email) view.email = details.email;
  if ((status === "session_active" || status === "session_expired") && step.secretExpiresAt) view.sessionExpiresAt = step.secretExpiresAt.toISOString();
  if (details.otpSentAt) view.otpSentAt = details.otpSentAt;
  if (details.account) view.account = details.account;
  return view;
}

const sessionContext = (onboardingId: string) => `unblock-session:${onboardingId}`;

interface StepDeps {
  db: Db;
  now: () => Date;
}

/**
 * Persists `session_expired` once an active session's 4 h have passed (with its status_change event), so the
 * log shows when it ran out; the sealed id is dropped. Returns the state as it is now.
 */
export async function settleUnblockExpiry(deps: StepDeps, state: State, reload: (state: State) => Promise<State>): Promise<State> {
  const step = state.unblock;
  const at = deps.now();
  if (!step || storedStatus(step) !== "session_active" || sessionLive(step, at)) return state;
  const moved = await moveStatus(deps.db, state.onboarding.id, step, "session_expired", "session_timed_out", at, { secret: null });
  return moved ? reload(state) : state;
}

/** Compare-and-set of the step's status (a concurrent change wins), with its event. */
async function moveStatus(
  db: Db,
  onboardingId: string,
  step: StepRow,
  to: UnblockStepStatus,
  cause: string,
  at: Date,
  patch: Partial<Pick<StepRow, "secret" | "secretExpiresAt" | "challenge" | "challengeExpiresAt" | "details">> = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(onboardingSteps)
      .set({ status: to, ...patch, updatedAt: at })
      .where(and(eq(onboardingSteps.onboardingId, onboardingId), eq(onboardingSteps.provider, UNBLOCK), eq(onboardingSteps.status, step.status)))
      .returning({ status: onboardingSteps.status });
    if (!updated) return false;
    if (step.status !== to) {
      await recordEvent(tx, { onboardingId, type: "status_change", provider: UNBLOCK, data: { from: step.status, to, cause }, at });
    }
    await tx.update(onboardings).set({ updatedAt: at }).where(eq(onboardings.id, onboardingId));
    return true;
  });
}

export interface UnblockOperations {
  /** Creates the Unblock user for the wallet (idempotent per onboarding: an existing user answers as is). */
  createUnblockUser(address: Address, form: unknown): Promise<OnboardingView>;
  /** The SIWE text to sign for Unblock, with a fresh nonce we remember (replacing an earlier unsigned one). */
  buildUnblockMessage(address: Address): Promise<{ message: string }>;
  /** Checks the wallet's signature of that text, spends the nonce, signs in at Unblock: `session_active`. */
  unblockLogin(address: Address, signature: Hex): Promise<OnboardingView>;
  /** Asks Unblock to email the user a code (`otpSentAt`). */
  requestUnblockOtp(address: Address): Promise<OnboardingView>;
  /** Signs in at Unblock with the emailed code: `session_active`. */
  verifyUnblockOtp(address: Address, code: string): Promise<OnboardingView>;
  /** Opens (or shows) the user's virtual account; 401 `unblock_session_expired` when the session is gone. */
  openUnblockAccount(address: Address, currency: UnblockCurrency): Promise<OnboardingView>;
}

export interface UnblockStepOptions {
  db: Db;
  unblock:
    | {
        client: UnblockStepClient;
        secretBox: SecretBox;
        signatureCheck?: SignatureCheck;
        /**
         * Counts an email-code request or check against the per-email limits (429 `rate_limited` when over):
         * the budget of tries belongs to the email address, so asking for a new code does not renew it.
         */
        limit?: (name: "otp_send_email" | "otp_check_email", email: string) => Promise<void>;
      }
    | undefined;
  now: () => Date;
  logger: Logger;
  load: (address: Address) => Promise<State>;
  view: (state: State) => OnboardingView;
}

export function createUnblockStep(options: UnblockStepOptions): UnblockOperations {
  const { db, now, logger: log, view } = options;
  const deps = { db, now };

  function provider() {
    if (!options.unblock) throw new AppError("unblock_not_configured", 503, "Unblock is not configured on this server.");
    return options.unblock;
  }

  const load = async (address: Address) => settleUnblockExpiry(deps, await options.load(address), reload);
  const reload = (state: State) => options.load(state.onboarding.address as Address);

  const calls = recordedCalls<UnblockOperation>({ db, provider: UNBLOCK, name: "Unblock", now, logger: log });
  const { call } = calls;

  /** The step with its user, or 409 `unblock_user_required`. */
  function requireUser(state: State): StepRow & { externalId: string } {
    const step = state.unblock;
    if (!step?.externalId || storedStatus(step) === "not_started") {
      throw new AppError("unblock_user_required", 409, "Fill in the Unblock form first.", { onboarding: view(state) });
    }
    return step as StepRow & { externalId: string };
  }

  /** Stores a new session (sealed) and moves the step to `session_active`. */
  async function storeSession(state: State, step: StepRow, session: UnblockSignIn, cause: string): Promise<State> {
    if (session.userId !== step.externalId) {
      await calls.error(state.onboarding.id, { code: "unblock_user_mismatch", message: "Unblock signed in another user than this onboarding's" });
      throw new AppError("unblock_user_mismatch", 502, "Unblock signed in another user than the one this onboarding created.");
    }
    const at = now();
    const { secretBox } = provider();
    const { otpSentAt: _sent, ...details } = detailsOf(step);
    void _sent;
    const patch = {
      secret: secretBox.seal(session.sessionId, sessionContext(state.onboarding.id)),
      secretExpiresAt: new Date(at.getTime() + UNBLOCK_LIFETIMES.sessionSeconds * 1000),
      details: details as Record<string, unknown>,
    };
    // the step may have moved meanwhile (a concurrent login): take the latest row and store this session over it
    let current = step;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await moveStatus(db, state.onboarding.id, current, "session_active", cause, at, patch)) return reload(state);
      const latest = (await reload(state)).unblock;
      if (!latest) break;
      current = latest;
    }
    throw new AppError("unblock_conflict", 409, "The Unblock step changed at the same time; try again.");
  }

  /** Marks the session gone (expired or ended by a newer login) and answers 401 `unblock_session_expired`. */
  async function sessionGone(state: State, step: StepRow, error: AppError): Promise<never> {
    const reason = error.details?.reason === "superseded" ? "superseded" : "expired";
    await moveStatus(db, state.onboarding.id, step, "session_expired", reason === "superseded" ? "session_superseded" : "session_expired_at_unblock", now(), {
      secret: null,
    });
    const latest = await reload(state);
    throw new AppError(SESSION_EXPIRED_CODE, 401, error.message, { reason, onboarding: view(latest) });
  }

  return {
    async createUnblockUser(address, input) {
      const state = await load(address);
      if (state.unblock?.externalId && storedStatus(state.unblock) !== "not_started") return view(state);
      const form = parseUnblockUserForm(input);
      const user: NewUnblockUser = { ...form, signInAddress: getAddress(state.onboarding.address) };
      const fields = userFieldErrors(user);
      if (fields) throw invalidUserFields(fields);
      const id = state.onboarding.id;
      const created = await call(id, "create_user", () => provider().client.createUser(user));
      const at = now();
      const details: StoredDetails = { firstName: form.firstName, lastName: form.lastName, email: form.email, country: form.country };
      await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(onboardingSteps)
          .values({
            onboardingId: id,
            provider: UNBLOCK,
            status: "user_created",
            externalId: created.userId,
            details: details as Record<string, unknown>,
            createdAt: at,
            updatedAt: at,
          })
          .onConflictDoNothing()
          .returning({ status: onboardingSteps.status });
        if (!inserted) return;
        await recordEvent(tx, {
          onboardingId: id,
          type: "status_change",
          provider: UNBLOCK,
          data: { from: "not_started", to: "user_created", cause: "user_created", userId: created.userId },
          at,
        });
        await tx.update(onboardings).set({ email: form.email, updatedAt: at }).where(eq(onboardings.id, id));
      });
      return view(await reload(state));
    },

    async buildUnblockMessage(address) {
      const state = await load(address);
      const step = requireUser(state);
      // stamped with Unblock's clock, which is what it checks Issued At / Expiration against: a GET of the user
      // (harmless, retried) reads that clock from its Date header right before
      const { client } = provider();
      await call(state.onboarding.id, "get_user", () => client.getUser(step.externalId), { about: { userId: step.externalId } });
      const built = client.siweMessage(state.onboarding.address, client.providerNow());
      await db
        .update(onboardingSteps)
        .set({ challenge: built.message, challengeExpiresAt: built.expiresAt, updatedAt: now() })
        .where(and(eq(onboardingSteps.onboardingId, state.onboarding.id), eq(onboardingSteps.provider, UNBLOCK), eq(onboardingSteps.status, step.status)));
      return { message: built.message };
    },

    async unblockLogin(address, signature) {
      const state = await load(address);
      const step = requireUser(state);
      const id = state.onboarding.id;
      const { client, signatureCheck } = provider();
      const message = step.challenge;
      if (!message || !step.challengeExpiresAt) {
        throw new AppError("unblock_message_required", 409, "Ask for a new Unblock message to sign (each one can be used once).", {
          onboarding: view(state),
        });
      }
      const at = client.providerNow();
      const target = unblockSiweTarget(client.baseUrl);
      const verdict = await verifySiwe(
        { message, signature },
        {
          domain: target.domain,
          uriOrigin: target.uriOrigin,
          nonce: parseSiweMessage(message).nonce,
          chainIds: [client.chainId],
          address: getAddress(state.onboarding.address),
          at,
          skewSeconds: Number.POSITIVE_INFINITY,
        },
        signatureCheck ?? eoaSignatureCheck,
      );
      if (!verdict.valid) {
        await calls.error(id, { code: "unblock_signature_invalid", message: "signature refused before reaching Unblock", reason: verdict.reason });
        if (verdict.reason === "expired") {
          throw new AppError("unblock_message_expired", 410, "The Unblock message expired; ask for a new one and sign it.", { onboarding: view(state) });
        }
        throw new AppError(
          "unblock_signature_invalid",
          400,
          `The signature does not match the Unblock message for ${state.onboarding.address}; sign it again with this wallet.`,
          { reason: verdict.reason, onboarding: view(state) },
        );
      }
      // spend the nonce before it is sent: a replay (or a concurrent second submission) finds nothing to use
      const [spent] = await db
        .update(onboardingSteps)
        .set({ challenge: null, challengeExpiresAt: null, updatedAt: now() })
        .where(and(eq(onboardingSteps.onboardingId, id), eq(onboardingSteps.provider, UNBLOCK), eq(onboardingSteps.challenge, message)))
        .returning();
      if (!spent) {
        throw new AppError("unblock_message_required", 409, "This Unblock message was already used; ask for a new one.", {
          onboarding: view(await reload(state)),
        });
      }
      const session = await call(id, "login_siwe", () => client.loginWithSiwe({ message, signature }), { about: { userId: step.externalId } });
      return view(await storeSession(state, spent, session, "siwe_login"));
    },

    async requestUnblockOtp(address) {
      const state = await load(address);
      const step = requireUser(state);
      const id = state.onboarding.id;
      await provider().limit?.("otp_send_email", detailsOf(step).email ?? step.externalId);
      await call(id, "request_otp", () => provider().client.requestOtp(step.externalId), { about: { userId: step.externalId } });
      const at = now();
      const details: StoredDetails = { ...detailsOf(step), otpSentAt: at.toISOString() };
      await db
        .update(onboardingSteps)
        .set({ details: details as Record<string, unknown>, updatedAt: at })
        .where(and(eq(onboardingSteps.onboardingId, id), eq(onboardingSteps.provider, UNBLOCK)));
      return view(await reload(state));
    },

    async verifyUnblockOtp(address, code) {
      const state = await load(address);
      const step = requireUser(state);
      await provider().limit?.("otp_check_email", detailsOf(step).email ?? step.externalId);
      const session = await call(state.onboarding.id, "verify_otp", () => provider().client.verifyOtp(step.externalId, code), {
        about: { userId: step.externalId },
      });
      return view(await storeSession(state, (await reload(state)).unblock ?? step, session, "otp_login"));
    },

    async openUnblockAccount(address, currency) {
      const state = await load(address);
      const step = requireUser(state);
      const existing = detailsOf(step).account;
      if (existing?.currency === currency) return view(state);
      const status = storedStatus(step);
      if (status === "session_expired") {
        throw new AppError(SESSION_EXPIRED_CODE, 401, "Your Unblock session has expired. Sign in to Unblock again.", {
          reason: "expired",
          onboarding: view(state),
        });
      }
      if (status !== "session_active" || !step.secret) {
        throw new AppError("unblock_session_required", 409, "Sign in to Unblock first (with your wallet or an email code).", {
          onboarding: view(state),
        });
      }
      const { client, secretBox } = provider();
      const sessionId = secretBox.openText(step.secret, sessionContext(state.onboarding.id));
      let account: UnblockAccountView;
      try {
        account = await call(state.onboarding.id, "open_bank_account", () => client.openBankAccount(sessionId, currency), {
          about: { userId: step.externalId, currency },
        });
      } catch (error) {
        if (error instanceof AppError && error.code === SESSION_EXPIRED_CODE) return sessionGone(state, step, error);
        throw error;
      }
      const at = now();
      const latest = (await reload(state)).unblock ?? step;
      const details: StoredDetails = { ...detailsOf(latest), account };
      await db
        .update(onboardingSteps)
        .set({ details: details as Record<string, unknown>, updatedAt: at })
        .where(and(eq(onboardingSteps.onboardingId, state.onboarding.id), eq(onboardingSteps.provider, UNBLOCK)));
      await db.update(onboardings).set({ updatedAt: at }).where(eq(onboardings.id, state.onboarding.id));
      return view(await reload(state));
    },
  };
}
