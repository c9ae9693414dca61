/**
 * Bloq Stake (the end user's wallet login), mounted at /bloq/stake.
 *
 * - `POST /users/{address}/nonce` (address all lowercase or EIP-55; any other form → 400 `invalid_request`)
 *   → 200 `{nonce}`; an unknown user → 404 `user_not_found`. Every address is a known user except those
 *   marked unknown with `POST /_sandbox/bloq/users {address, known: false}` (ours: the sandbox has no
 *   allow-list of its own). ours: one outstanding nonce per address (a new request replaces it), 16 random
 *   bytes as hex, valid STAKE_NONCE_SECONDS (10 min) by the sandbox clock.
 * - `POST /auth {address, service: "stake", signature, signedAt}` → 200 `{token}` (stake JWT, 12 h). The
 *   signature must be the address's personal_sign of exactly `bloqSignInText({address, nonce, signedAt})`
 *   with its outstanding nonce, so a different signedAt changes the text. Checks in order: the body (400);
 *   an unknown user → 401 `user_not_found`; ours: no outstanding nonce (never asked, already used by a
 *   login, or expired) → 401 `nonce_invalid`; a signature that does not verify (viem `verifyMessage`, EOA
 *   only) → 403 `invalid_signature`. The nonce is spent by a successful login only (a replay then finds no
 *   nonce → 401; after a newer nonce it no longer matches the text → 403); a failed login leaves it. ours:
 *   signedAt is not compared to the clock (the nonce's life bounds the login).
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { getAddress, verifyMessage, type Hex } from "viem";
import { z } from "zod";
import { bloqSignInText } from "@/lib/providers/bloq/sign-in-text";
import { StakeLoginSchema, type StakeNonce, type StakeToken } from "@/lib/providers/bloq/types";
import { applyFaultLatency } from "../controls/fault-middleware";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { describeIssues, parseJsonBody } from "../http/json-body";
import { BLOQ_ERROR, bloqError, invalidRequest } from "./errors";
import type { BloqState } from "./state";
import { issueToken } from "./tokens";

/** ours: how long a Stake nonce stays valid, on the sandbox clock */
export const STAKE_NONCE_SECONDS = 10 * 60;

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** True for an all-lowercase address or a valid EIP-55 checksum (what Stake takes). */
export function isStakeAddressForm(value: string): boolean {
  if (!HEX_ADDRESS.test(value)) return false;
  return value === value.toLowerCase() || getAddress(value) === value;
}

function stakeAddress(value: string): string {
  if (!isStakeAddressForm(value)) throw invalidRequest("address: must be a 0x address, all lowercase or EIP-55 checksummed");
  return value.toLowerCase();
}

async function signatureMatches(address: string, message: string, signature: string): Promise<boolean> {
  try {
    return await verifyMessage({ address: getAddress(address), message, signature: signature as Hex });
  } catch {
    return false;
  }
}

const LoginBodySchema = z.record(z.string(), z.unknown());

export function stakeRoutes(state: BloqState, clock: SandboxClock): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post("/users/:address/nonce", applyFaultLatency, (c) => {
    const address = stakeAddress(c.req.param("address"));
    if (!state.isKnownUser(address)) throw bloqError(404, BLOQ_ERROR.userNotFound, "No Bloq user with this address");
    const nonce = randomBytes(16).toString("hex");
    state.nonces.set(address, { nonce, expiresAt: clock.now() + STAKE_NONCE_SECONDS * 1000 });
    const body: StakeNonce = { nonce };
    return c.json(body, 200);
  });

  app.post("/auth", applyFaultLatency, async (c) => {
    const raw = parseJsonBody(c, LoginBodySchema);
    const parsed = StakeLoginSchema.safeParse(raw);
    if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
    const { signature, signedAt } = parsed.data;
    const address = stakeAddress(parsed.data.address);
    if (!state.isKnownUser(address)) throw bloqError(401, BLOQ_ERROR.userNotFound, "No Bloq user with this address");
    const outstanding = state.nonces.get(address);
    if (!outstanding || outstanding.expiresAt <= clock.now()) {
      throw bloqError(401, BLOQ_ERROR.nonceInvalid, "No valid nonce for this address: request a new one");
    }
    const text = bloqSignInText({ address, nonce: outstanding.nonce, signedAt });
    if (!(await signatureMatches(address, text, signature))) {
      throw bloqError(403, BLOQ_ERROR.invalidSignature, "The signature does not match the sign-in text for this address, nonce and signedAt");
    }
    // spent only now, and only if still the same nonce (two logins racing on one nonce: one wins)
    if (state.nonces.get(address) !== outstanding) throw bloqError(401, BLOQ_ERROR.nonceInvalid, "No valid nonce for this address: request a new one");
    state.nonces.delete(address);
    const body: StakeToken = { token: await issueToken(state, clock, "stake", address) };
    return c.json(body, 200);
  });

  return app;
}
