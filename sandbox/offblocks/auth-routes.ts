/** /auth: access tokens, credentials, the request-signing key. */
import { randomUUID, timingSafeEqual, createHash } from "node:crypto";
import { Hono } from "hono";
import { CredentialsDeleteSchema, CredentialsPutSchema, SigningKeyPutSchema, TokenRequestSchema } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { parseJsonBody } from "../http/json-body";
import { notFound, unauthorized } from "./errors";
import type { RouteGuards } from "./route-guards";
import { parseSigningPublicKey } from "./signing-key";
import type { OffblocksState } from "./state";
import { issueToken } from "./tokens";

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function authRoutes(state: OffblocksState, clock: SandboxClock, guards: RouteGuards): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post("/auth/token", guards.open, async (c) => {
    const body = parseJsonBody(c, TokenRequestSchema);
    const merchant = state.merchant;
    const matches = sameSecret(body.apiKey, merchant.apiKey) && sameSecret(body.apiSecret, merchant.apiSecret);
    if (!matches || merchant.revoked) throw unauthorized("Invalid API credentials");
    return c.json(await issueToken(state, clock), 200);
  });

  app.put("/auth/credentials", guards.signed, (c) => {
    const body = parseJsonBody(c, CredentialsPutSchema);
    const merchant = state.merchant;
    merchant.apiKey = body.apiKey;
    merchant.apiSecret = body.apiSecret;
    merchant.generation += 1;
    return c.body(null, 204);
  });

  app.delete("/auth/credentials", guards.signed, (c) => {
    const body = parseJsonBody(c, CredentialsDeleteSchema);
    const merchant = state.merchant;
    if (!sameSecret(body.apiKey, merchant.apiKey)) throw notFound("Credentials with this apiKey");
    merchant.revoked = true;
    merchant.generation += 1;
    return c.body(null, 204);
  });

  app.put("/auth/signing", guards.bearerOnly, (c) => {
    const body = parseJsonBody(c, SigningKeyPutSchema);
    const key = parseSigningPublicKey(body.publicKey);
    const keyId = randomUUID();
    state.merchant.signingKey = { keyId, key };
    return c.json({ keyId }, 200);
  });

  app.delete("/auth/signing", guards.bearerOnly, (c) => {
    state.merchant.signingKey = undefined;
    return c.body(null, 204);
  });

  return app;
}
