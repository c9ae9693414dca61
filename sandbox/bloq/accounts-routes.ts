/**
 * Bloq Accounts (merchant side), mounted at /bloq/accounts: the account login, client keys and client tokens.
 *
 * - `POST /auth` with HTTP Basic (email, case-insensitive, or the account's user id : password) → 200
 *   `{accessToken}` (account token, 12 h). Missing or wrong → 401 `unauthorized` with
 *   `WWW-Authenticate: Basic`. Any request body is ignored.
 * - Client keys, Bearer account token only (a client token → 403 `forbidden`; none → 401 `unauthorized`):
 *   `POST /users/me/client-keys` → ours: 201 `{clientId, clientSecret}` (16 / 32 random bytes as hex, like the
 *   default key; the secret is kept as a digest only, so it is never shown again);
 *   `GET /users/me/client-keys` → 200 `[{id, createdAt}]` oldest first (id = the client id);
 *   `DELETE /users/me/client-keys/{id}` → 204, unknown id → 404 `client_key_not_found`.
 * - `POST /auth/token` (no Authorization): `clientCredentials` → 200 `{accessToken, refreshToken}`, unknown id
 *   or wrong secret → 401 `invalid_client`; `refreshToken` → 200 `{accessToken}`, a refresh token that is not
 *   ours → 401 `invalid_grant`, its key deleted → 401 `invalid_grant`, expired → 401 `jwt expired`.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import {
  TokenGrantSchema,
  type AccountToken,
  type ClientKeyCreated,
  type ClientKeyList,
  type ClientTokens,
  type RefreshedToken,
} from "@/lib/providers/bloq/types";
import { applyFaultLatency } from "../controls/fault-middleware";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { SandboxHttpError } from "../http/errors";
import { parseJsonBody } from "../http/json-body";
import { BLOQ_ERROR, bloqError, bloqErrorResponse } from "./errors";
import { sameSecret, secretDigest, type BloqState } from "./state";
import { bearerToken, issueToken, verifyToken } from "./tokens";

const BASIC_CHALLENGE = 'Basic realm="bloq-accounts", charset="UTF-8"';

function basicRefused(message: string): Response {
  return bloqErrorResponse(401, BLOQ_ERROR.unauthorized, message, { "www-authenticate": BASIC_CHALLENGE });
}

/** The `user:password` of an HTTP Basic header, undefined when it is not one. */
function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(match[1], "base64"));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function accountsRoutes(state: BloqState, clock: SandboxClock): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  /** Only an account token opens Accounts. */
  async function requireAccount(c: Context<SandboxEnv>): Promise<void> {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) throw bloqError(401, BLOQ_ERROR.unauthorized, "An Authorization: Bearer <account token> header is required");
    const verified = await verifyToken(state, clock, token, ["account", "client"]);
    if (verified.kind === "client") throw bloqError(403, BLOQ_ERROR.forbidden, "Client tokens cannot call Accounts; use the account token");
    if (verified.subject !== state.account.id) throw bloqError(401, BLOQ_ERROR.invalidToken, "The token is invalid");
  }

  app.post("/auth", applyFaultLatency, async (c) => {
    const credentials = basicCredentials(c.req.header("authorization"));
    if (!credentials) return basicRefused("HTTP Basic authentication (email : password) is required");
    const { account } = state;
    const userMatches = credentials.user.toLowerCase() === account.email.toLowerCase() || credentials.user === account.id;
    const passwordMatches = sameSecret(credentials.password, secretDigest(account.password));
    if (!userMatches || !passwordMatches) return basicRefused("Wrong email or password");
    const body: AccountToken = { accessToken: await issueToken(state, clock, "account", account.id) };
    return c.json(body, 200);
  });

  app.post("/users/me/client-keys", applyFaultLatency, async (c) => {
    await requireAccount(c);
    const clientId = randomBytes(16).toString("hex");
    const clientSecret = randomBytes(32).toString("hex");
    state.addClientKey(clientId, clientSecret);
    const body: ClientKeyCreated = { clientId, clientSecret };
    return c.json(body, 201);
  });

  app.get("/users/me/client-keys", applyFaultLatency, async (c) => {
    await requireAccount(c);
    const body: ClientKeyList = [...state.clientKeys.values()].map(({ id, createdAt }) => ({ id, createdAt }));
    return c.json(body, 200);
  });

  app.delete("/users/me/client-keys/:id", applyFaultLatency, async (c) => {
    await requireAccount(c);
    const id = c.req.param("id");
    if (!state.clientKeys.delete(id)) throw bloqError(404, BLOQ_ERROR.clientKeyNotFound, "No client key with this id");
    return c.body(null, 204);
  });

  app.post("/auth/token", applyFaultLatency, async (c) => {
    const grant = parseJsonBody(c, TokenGrantSchema);
    if (grant.grantType === "clientCredentials") {
      const key = state.clientKeys.get(grant.clientId);
      if (!key || !sameSecret(grant.clientSecret, key.secretDigest)) {
        throw bloqError(401, BLOQ_ERROR.invalidClient, "Unknown client id or wrong client secret");
      }
      const body: ClientTokens = {
        accessToken: await issueToken(state, clock, "client", key.id),
        refreshToken: await issueToken(state, clock, "refresh", key.id),
      };
      return c.json(body, 200);
    }
    let subject: string;
    try {
      ({ subject } = await verifyToken(state, clock, grant.refreshToken, ["refresh"]));
    } catch (error) {
      if (error instanceof SandboxHttpError && error.code === BLOQ_ERROR.jwtExpired) throw error;
      throw bloqError(401, BLOQ_ERROR.invalidGrant, "The refresh token is invalid");
    }
    if (!state.clientKeys.has(subject)) throw bloqError(401, BLOQ_ERROR.invalidGrant, "The refresh token was revoked (its client key was deleted)");
    const body: RefreshedToken = { accessToken: await issueToken(state, clock, "client", subject) };
    return c.json(body, 200);
  });

  return app;
}
