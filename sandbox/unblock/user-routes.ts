/**
 * /user: create a user, read one, and the user's virtual bank account.
 *
 * ours: `POST /user` answers 201; field errors 400 `invalid_request` naming the field ("first_name: …");
 * an email already registered with this merchant (case-insensitive) → 409 `email_already_registered`; a
 * sign-in address already registered → 409 `address_already_registered` (the SIWE login finds the user by
 * it, so it must be unique). `GET /user` takes `unblock-session-id` (checked like on any write) or
 * `user-uuid`; with neither → 400; unknown user → 404 `user_not_found`.
 */
import { randomUUID } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { getAddress } from "viem";
import { z } from "zod";
import {
  BankAccountRequestSchema,
  UNBLOCK_ERROR,
  UNBLOCK_SESSION_HEADER,
  UNBLOCK_USER_HEADER,
  UserCreateSchema,
  type UserCreated,
} from "@/lib/providers/unblock/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { parseJsonBody } from "../http/json-body";
import { makeBankAccount } from "./bank-accounts";
import { isIsoCountry } from "./countries";
import { invalidRequest, unblockError, userNotFound } from "./errors";
import { liveSessionUser } from "./sessions";
import { userView, type UnblockState, type UserRecord } from "./state";

const UuidSchema = z.string().uuid();

function isPastCalendarDate(value: string, now: number): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value && time <= now;
}

export function userRoutes(state: UnblockState, clock: SandboxClock, guard: MiddlewareHandler<SandboxEnv>): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post("/user", guard, (c) => {
    const body = parseJsonBody(c, UserCreateSchema);
    if (!isIsoCountry(body.country)) throw invalidRequest("country: must be an ISO 3166-1 alpha-2 code such as DE or GB");
    if (body.date_of_birth !== undefined && !isPastCalendarDate(body.date_of_birth, clock.now())) {
      throw invalidRequest("date_of_birth: must be a real date in the past");
    }
    const emailKey = body.email.toLowerCase();
    if (state.usersByEmail.has(emailKey)) {
      throw unblockError(409, UNBLOCK_ERROR.emailTaken, "email: a user with this email is already registered");
    }
    const signInAddress = body.sign_in_crypto_address === undefined ? undefined : getAddress(body.sign_in_crypto_address);
    if (signInAddress !== undefined && state.usersByAddress.has(signInAddress.toLowerCase())) {
      throw unblockError(409, UNBLOCK_ERROR.addressTaken, "sign_in_crypto_address: a user with this address is already registered");
    }
    const user: UserRecord = {
      uuid: randomUUID(),
      firstName: body.first_name,
      lastName: body.last_name,
      email: body.email,
      country: body.country,
      signInAddress,
      targetAddress: body.target_address === undefined ? undefined : getAddress(body.target_address),
      dateOfBirth: body.date_of_birth,
      phone: body.phone,
      status: "created",
      createdAt: clock.now(),
      currentSessionId: undefined,
      pendingCode: undefined,
      accounts: new Map(),
    };
    state.users.set(user.uuid, user);
    state.usersByEmail.set(emailKey, user.uuid);
    if (signInAddress !== undefined) state.usersByAddress.set(signInAddress.toLowerCase(), user.uuid);
    const answer: UserCreated = { user_uuid: user.uuid, status: user.status };
    return c.json(answer, 201);
  });

  app.get("/user", guard, (c) => {
    const sessionId = c.req.header(UNBLOCK_SESSION_HEADER);
    const userUuid = c.req.header(UNBLOCK_USER_HEADER)?.trim();
    if (sessionId !== undefined) {
      const user = liveSessionUser(state, clock, sessionId);
      if (userUuid !== undefined && userUuid.toLowerCase() !== user.uuid) {
        throw invalidRequest(`${UNBLOCK_USER_HEADER}: does not match the session's user`);
      }
      return c.json(userView(user), 200);
    }
    if (userUuid === undefined) throw invalidRequest(`A ${UNBLOCK_USER_HEADER} or ${UNBLOCK_SESSION_HEADER} header is required`);
    if (!UuidSchema.safeParse(userUuid).success) throw invalidRequest(`${UNBLOCK_USER_HEADER}: must be a uuid`);
    const user = state.users.get(userUuid.toLowerCase());
    if (!user) throw userNotFound();
    return c.json(userView(user), 200);
  });

  app.post("/user/bank-account/unblock", guard, (c) => {
    const user = liveSessionUser(state, clock, c.req.header(UNBLOCK_SESSION_HEADER));
    const { currency } = parseJsonBody(c, BankAccountRequestSchema);
    let account = user.accounts.get(currency);
    if (!account) {
      account = makeBankAccount(currency, `${user.firstName} ${user.lastName}`);
      user.accounts.set(currency, account);
    }
    return c.json(account, 200);
  });

  return app;
}
