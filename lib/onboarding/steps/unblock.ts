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
import type { Logger } from "pino";
import { getAddress, type Address, type Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { z } from "zod";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
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
import type { UnblockOperation } from "../events";
import { recordedCalls } from "./recorded-calls";
import { stepRows } from "./step-row";
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
  if (details.country) view.country = details.country;
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

const unblockRows = ({ db, now }: StepDeps) => stepRows({ db, provider: UNBLOCK, name: "Unblock", now });

/**
 * Persists `session_expired` once an active session's 4 h have passed (with its status_change event), so the
 * log shows when it ran out; the sealed id is dropped. Returns the state as it is now.
 */
export async function settleUnblockExpiry(deps: StepDeps, state: State, reload: (state: State) => Promise<State>): Promise<State> {
  const step = state.unblock;
  if (!step || storedStatus(step) !== "session_active" || sessionLive(step, deps.now())) return state;
  const moved = await unblockRows(deps).write(state.onboarding.id, step, { to: "session_expired", cause: "session_timed_out", patch: { secret: null } });
  return moved ? reload(state) : state;
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
  const rows = unblockRows(deps);
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
    const change = {
      to: "session_active",
      cause,
      patch: {
        secret: secretBox.seal(session.sessionId, sessionContext(state.onboarding.id)),
        secretExpiresAt: new Date(at.getTime() + UNBLOCK_LIFETIMES.sessionSeconds * 1000),
        dropDetails: ["otpSentAt"],
      },
    };
    // the step may have moved meanwhile (a concurrent login): this session is stored over the latest row
    await rows.settle(state.onboarding.id, step, () => change);
    return reload(state);
  }

  /** Marks the session gone (expired or ended by a newer login) and answers 401 `unblock_session_expired`. */
  async function sessionGone(state: State, step: StepRow, error: AppError): Promise<never> {
    const reason = error.details?.reason === "superseded" ? "superseded" : "expired";
    const cause = reason === "superseded" ? "session_superseded" : "session_expired_at_unblock";
    // the session Unblock refused, unless a concurrent login replaced it meanwhile
    await rows.settle(state.onboarding.id, step, (row) =>
      row && storedStatus(row) === "session_active" && row.secret?.equals(step.secret ?? Buffer.alloc(0))
        ? { to: "session_expired", cause, patch: { secret: null } }
        : undefined,
    );
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
      const details: StoredDetails = { firstName: form.firstName, lastName: form.lastName, email: form.email, country: form.country };
      // a concurrent creation of the same user wins: this one answers what it wrote
      await rows.write(id, undefined, {
        to: "user_created",
        cause: "user_created",
        patch: { externalId: created.userId, replaceDetails: details as Record<string, unknown> },
        eventData: { userId: created.userId },
        email: form.email,
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
      // the latest message asked for is the one to sign: stored over a concurrent one
      await rows.settle(state.onboarding.id, step, (row) =>
        row ? { to: row.status, cause: "message_built", patch: { challenge: built.message, challengeExpiresAt: built.expiresAt } } : undefined,
      );
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
      const spent = await rows.write(id, step, { to: step.status, cause: "message_spent", patch: { challenge: null, challengeExpiresAt: null } });
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
      const sent: StoredDetails = { otpSentAt: now().toISOString() };
      await rows.settle(id, step, (row) => (row ? { to: row.status, cause: "otp_sent", patch: { details: sent as Record<string, unknown> } } : undefined));
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
      const opened: StoredDetails = { account };
      await rows.settle(state.onboarding.id, step, (row) =>
        row ? { to: row.status, cause: "account_opened", patch: { details: opened as Record<string, unknown> } } : undefined,
      );
      return view(await reload(state));
    },
  };
}
