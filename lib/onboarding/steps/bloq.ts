/**
 * The Bloq step of an onboarding (provider "bloq" in `onboarding_steps`), optional, after OffBlocks:
 * - `challenge`: the Bloq text we built for the wallet while it awaits a signature; `details`: its
 *   `nonce` and `signedAt` (the text's Issued At, sent again as `signedAt` with the login) — no secret;
 * - `secret` / `secret_expires_at`: the user's Bloq stake token, AES-GCM sealed (bound to the onboarding),
 *   and its 12 h expiry. It never leaves the server: not in the view, an error, an event or a log line.
 * Statuses: not_started → message_issued (nonce fetched, text built) → linked; `not_allowed` when Bloq
 * does not know the wallet (404 on the nonce / 401 on the login: the merchant must get it allow-listed);
 * `failed` when Bloq could not answer after the nonce was spent — asking for a new message starts over.
 * Every Bloq call is a `provider_call` event and every status move a `status_change` event.
 */
import type { Logger } from "pino";
import { getAddress, verifyMessage, type Address, type Hex } from "viem";
import { z } from "zod";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { BLOQ_ERROR, BLOQ_LIFETIMES, bloqSignInText, type BloqClient } from "../../providers/bloq";
import type { BloqOperation } from "../events";
import { recordedCalls } from "./recorded-calls";
import { stepRows, type StepPatch } from "./step-row";
import type { State, StepRow } from "./step-types";
import type { BloqStepStatus, BloqStepView, OnboardingView } from "../types";

export const BLOQ = "bloq" as const;

/** What the step needs of the Bloq client (lib/providers/bloq). */
export type BloqStepClient = Pick<BloqClient, "nonce" | "login">;

export const BloqLoginBodySchema = z.object({
  signature: z
    .string()
    .max(2 + 2 * 16_384, "is too long")
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "must be 0x followed by hex bytes")
    .transform((value) => value as Hex),
});

/** The plain-words explanation of a wallet Bloq does not know (shown as is by the page). */
export const BLOQ_NOT_ALLOWED_MESSAGE =
  "This wallet is not on Bloq's list of staking customers yet, so it cannot be linked. Ask the merchant to allow it at Bloq (or use a wallet that is allowed), then try again. Linking a staking account is optional: you can skip this step.";

interface StoredDetails {
  nonce?: string;
  signedAt?: string;
  linkedAt?: string;
}

const BLOQ_STATUSES: ReadonlySet<string> = new Set(["message_issued", "linked", "not_allowed", "failed"]);

function storedStatus(step: StepRow | undefined): BloqStepStatus {
  return step && BLOQ_STATUSES.has(step.status) ? (step.status as BloqStepStatus) : "not_started";
}

/** The Bloq step of the onboarding object (no token in it). */
export function bloqView(step: StepRow | undefined): BloqStepView {
  const status = storedStatus(step);
  const view: BloqStepView = { status };
  if (status === "linked" && step?.secretExpiresAt) view.tokenExpiresAt = step.secretExpiresAt.toISOString();
  if (status === "message_issued" && step?.challenge) view.message = step.challenge;
  return view;
}

const tokenContext = (onboardingId: string) => `bloq-token:${onboardingId}`;

export interface BloqOperations {
  /** The Bloq text to sign (nonce fetched from Bloq for the wallet, Issued At = now), remembered here. */
  buildBloqMessage(address: Address): Promise<{ message: string }>;
  /** Checks the wallet's signature of that text, then logs in at Bloq with the same signedAt: `linked`. */
  linkBloq(address: Address, signature: Hex): Promise<OnboardingView>;
}

export interface BloqStepOptions {
  db: Db;
  bloq: { client: BloqStepClient; secretBox: SecretBox } | undefined;
  now: () => Date;
  logger: Logger;
  load: (address: Address) => Promise<State>;
  view: (state: State) => OnboardingView;
}

export function createBloqStep(options: BloqStepOptions): BloqOperations {
  const { db, now, logger: log, view, load } = options;
  const reload = (state: State) => load(state.onboarding.address as Address);

  function provider() {
    if (!options.bloq) throw new AppError("bloq_not_configured", 503, "Bloq is not configured on this server.");
    return options.bloq;
  }

  // never with a token or a signature
  const calls = recordedCalls<BloqOperation>({ db, provider: BLOQ, name: "Bloq", now, logger: log });
  const { call } = calls;

  const rows = stepRows({ db, provider: BLOQ, name: "Bloq", now });

  /**
   * Writes the step to `to` with its status_change event when the status moves. A concurrent write wins the
   * compare-and-set (./step-row.ts); this one is then written over the row the winner left, so the event says
   * which status it moved from. Answers the state as it is now.
   */
  async function write(state: State, to: BloqStepStatus, cause: string, patch: StepPatch): Promise<State> {
    await rows.settle(state.onboarding.id, state.bloq, () => ({ to, cause, patch }));
    return reload(state);
  }

  /** The wallet is not allow-listed at Bloq: `not_allowed`, and 404 `bloq_address_not_allowed` in plain words. */
  async function notAllowed(state: State, operation: BloqOperation): Promise<never> {
    await write(state, "not_allowed", "address_unknown_at_bloq", {
      secret: null,
      secretExpiresAt: null,
      challenge: null,
      challengeExpiresAt: null,
      replaceDetails: {},
    });
    await calls.error(state.onboarding.id, { code: "bloq_address_not_allowed", message: "Bloq does not know this wallet", operation });
    throw new AppError("bloq_address_not_allowed", 404, BLOQ_NOT_ALLOWED_MESSAGE, { onboarding: view(await reload(state)) });
  }

  /** Fetches a nonce and stores the text to sign (Issued At = now); `message_issued`. */
  async function issue(state: State, cause: string): Promise<{ message: string; state: State }> {
    const id = state.onboarding.id;
    const address = getAddress(state.onboarding.address);
    let nonce: string;
    try {
      nonce = await call(id, "get_nonce", () => provider().client.nonce(address));
    } catch (error) {
      if (error instanceof AppError && error.code === BLOQ_ERROR.userUnknown) return notAllowed(state, "get_nonce");
      throw error;
    }
    const signedAt = now().toISOString();
    const message = bloqSignInText({ address, nonce, signedAt });
    const details: StoredDetails = { nonce, signedAt };
    const issued = await write(state, "message_issued", cause, {
      challenge: message,
      challengeExpiresAt: null,
      secret: null,
      secretExpiresAt: null,
      replaceDetails: details as Record<string, unknown>,
    });
    return { message, state: issued };
  }

  return {
    async buildBloqMessage(address) {
      const state = await load(address);
      const step = state.bloq;
      if (storedStatus(step) === "linked" && step?.secretExpiresAt && step.secretExpiresAt.getTime() > now().getTime()) {
        throw new AppError("bloq_already_linked", 409, "The staking account is already linked.", { onboarding: view(state) });
      }
      const { message } = await issue(state, "message_issued");
      return { message };
    },

    async linkBloq(address, signature) {
      const state = await load(address);
      const step = state.bloq;
      const id = state.onboarding.id;
      const details = (step?.details ?? {}) as StoredDetails;
      const message = step?.challenge;
      if (storedStatus(step) === "linked" && !message) return view(state); // a repeated submission
      if (storedStatus(step) !== "message_issued" || !message || !details.signedAt) {
        throw new AppError("bloq_message_required", 409, "Ask for a new Bloq message to sign (each one can be used once).", { onboarding: view(state) });
      }
      const wallet = getAddress(state.onboarding.address);
      let valid = false;
      try {
        valid = await verifyMessage({ address: wallet, message, signature });
      } catch {
        valid = false;
      }
      if (!valid) {
        // never forwarded: the nonce is not spent, the same text is still the one to sign
        await calls.error(id, { code: "signature_invalid", message: "signature refused before reaching Bloq", reason: "signature" });
        throw new AppError("signature_invalid", 400, `The signature does not match the Bloq message for ${wallet}; sign it again with this wallet.`, {
          onboarding: view(state),
        });
      }
      // spend the text before it is sent: a replay (or a concurrent second submission) finds nothing to use
      const spent = step && (await rows.write(id, step, { to: step.status, cause: "message_spent", patch: { challenge: null, challengeExpiresAt: null } }));
      if (!spent) {
        throw new AppError("bloq_message_required", 409, "This Bloq message was already used; ask for a new one.", { onboarding: view(await reload(state)) });
      }
      const afterSpend: State = { ...state, bloq: spent };
      let token: string;
      try {
        ({ token } = await call(id, "login", () => provider().client.login({ address: wallet, signature, signedAt: details.signedAt ?? "" })));
      } catch (error) {
        if (error instanceof AppError && error.code === BLOQ_ERROR.userUnknown) return notAllowed(afterSpend, "login");
        if (error instanceof AppError && error.code === BLOQ_ERROR.signatureInvalid) {
          await calls.error(id, { code: "signature_invalid", message: "Bloq refused the signature", operation: "login" });
          const fresh = await issue(afterSpend, "message_reissued");
          throw new AppError("signature_invalid", 400, "Bloq did not accept the signature; sign the new message.", {
            reason: "refused_by_bloq",
            onboarding: view(fresh.state),
          });
        }
        if (error instanceof AppError && error.code === BLOQ_ERROR.nonceInvalid) {
          await calls.error(id, { code: "bloq_message_expired", message: "Bloq no longer accepts the nonce", operation: "login" });
          const fresh = await issue(afterSpend, "message_reissued");
          throw new AppError("bloq_message_expired", 410, "That Bloq message can no longer be used; sign the new one.", { onboarding: view(fresh.state) });
        }
        await write(afterSpend, "failed", "bloq_login_failed", { replaceDetails: {} });
        throw error;
      }
      const at = now();
      const linked = await write(afterSpend, "linked", "stake_login", {
        secret: provider().secretBox.seal(token, tokenContext(id)),
        secretExpiresAt: new Date(at.getTime() + BLOQ_LIFETIMES.stakeTokenSeconds * 1000),
        challenge: null,
        challengeExpiresAt: null,
        replaceDetails: { linkedAt: at.toISOString() },
      });
      return view(linked);
    },
  };
}
