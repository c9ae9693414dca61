/** The merchant key, `POST /user` validation and uniqueness, `GET /user`, and the Date header. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserCreatedSchema, UserSchema } from "@/lib/providers/unblock/types";
import type { SandboxHandle } from "../server";
import type { IndependentUnblockClient } from "./independent-client";
import { advanceClock, API_KEY, createUser, OTHER_WALLET, startHarness, userInput, WALLET } from "./test-fixtures";

describe("unblock: merchant key and users", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("refuses every route without `API-Key <key>` exactly: 401 unauthorized", async () => {
    const routes: Array<[string, string]> = [
      ["POST", "/user"],
      ["GET", "/user"],
      ["POST", "/auth/login"],
      ["POST", "/auth/otp"],
      ["POST", "/user/bank-account/unblock"],
    ];
    const headers: Array<string | false> = [
      false,
      API_KEY,
      `Bearer ${API_KEY}`,
      `api-key ${API_KEY}`,
      `API-KEY ${API_KEY}`,
      `API-Key${API_KEY}`,
      `API-Key  ${API_KEY}`,
      `API-Key ${API_KEY}x`,
      "API-Key wrong",
      "API-Key ",
    ];
    for (const [method, path] of routes) {
      for (const authorization of headers) {
        const answer = await client.call(method, path, { authorization, body: method === "POST" ? userInput() : undefined });
        expect([answer.status, answer.errorId], `${method} ${path} ${String(authorization)}`).toEqual([401, "unauthorized"]);
        expect(answer.body).toEqual({ error_id: "unauthorized", message: expect.any(String) });
      }
    }
    expect((await client.createUser(userInput())).status).toBe(201);
  });

  it("creates a user and reads it by user-uuid or session", async () => {
    const input = userInput({ sign_in_crypto_address: WALLET.address.toLowerCase(), date_of_birth: "1990-12-10", phone: "+441234567890" });
    const created = await client.createUser(input);
    expect(created.status).toBe(201);
    const { user_uuid } = UserCreatedSchema.parse(created.body);
    expect(created.body).toEqual({ user_uuid, status: "created" });

    const read = await client.getUser({ userUuid: user_uuid });
    expect(read.status).toBe(200);
    expect(UserSchema.parse(read.body)).toEqual({
      user_uuid,
      status: "created",
      first_name: "Ada",
      last_name: "Lovelace",
      email: input.email,
      country: "GB",
      sign_in_crypto_address: WALLET.address,
    });
    const login = await client.siweLogin(WALLET);
    const bySession = await client.getUser({ sessionId: login.answer.body.unblock_session_id });
    expect([bySession.status, (bySession.body as { user_uuid: string }).user_uuid]).toEqual([200, user_uuid]);
    const mismatch = await client.getUser({ sessionId: login.answer.body.unblock_session_id, userUuid: crypto.randomUUID() });
    expect([mismatch.status, mismatch.errorId]).toEqual([400, "invalid_request"]);

    const noAddress = await createUser(client, null);
    const withoutAddress = await client.getUser({ userUuid: noAddress.uuid });
    expect((withoutAddress.body as { sign_in_crypto_address: unknown }).sign_in_crypto_address).toBeNull();
  });

  it("GET /user: unknown 404 user_not_found, malformed or missing header 400, bad session 401", async () => {
    const unknown = await client.getUser({ userUuid: crypto.randomUUID() });
    expect([unknown.status, unknown.errorId]).toEqual([404, "user_not_found"]);
    const malformed = await client.getUser({ userUuid: "not-a-uuid" });
    expect([malformed.status, malformed.errorId]).toEqual([400, "invalid_request"]);
    expect(malformed.body).toEqual({ error_id: "invalid_request", message: expect.stringContaining("user-uuid") });
    const none = await client.getUser({});
    expect([none.status, none.errorId]).toEqual([400, "invalid_request"]);
    const badSession = await client.getUser({ sessionId: crypto.randomUUID() });
    expect([badSession.status, badSession.errorId]).toEqual([401, "session_expired"]);
  });

  it("validates every field with a 400 naming it", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ first_name: "A" }, "first_name"],
      [{ first_name: "A".repeat(49) }, "first_name"],
      [{ first_name: "Zoë" }, "first_name"],
      [{ first_name: "Анна" }, "first_name"],
      [{ first_name: "Ada1" }, "first_name"],
      [{ first_name: 12 }, "first_name"],
      [{ last_name: "L" }, "last_name"],
      [{ last_name: "Love lace!" }, "last_name"],
      [{ last_name: undefined }, "last_name"],
      [{ email: "nope" }, "email"],
      [{ email: undefined }, "email"],
      [{ country: "gb" }, "country"],
      [{ country: "GBR" }, "country"],
      [{ country: "XX" }, "country"],
      [{ country: "ZZ" }, "country"],
      [{ sign_in_crypto_address: "0x1234" }, "sign_in_crypto_address"],
      [{ target_address: "nope" }, "target_address"],
      [{ date_of_birth: "10/12/1990" }, "date_of_birth"],
      [{ date_of_birth: "1990-02-30" }, "date_of_birth"],
      [{ date_of_birth: "2999-01-01" }, "date_of_birth"],
      [{ phone: "1" }, "phone"],
    ];
    for (const [overrides, field] of cases) {
      const answer = await client.createUser(userInput(overrides));
      expect([answer.status, answer.errorId], JSON.stringify(overrides)).toEqual([400, "invalid_request"]);
      expect(answer.errorMessage, JSON.stringify(overrides)).toMatch(new RegExp(`^${field}\\b`));
    }
    for (const ok of ["Jo", "A".repeat(48), "Mary-Jane", "O'Brien", "Van Der Berg"]) {
      expect((await client.createUser(userInput({ first_name: ok, last_name: ok }))).status, ok).toBe(201);
    }
  });

  it("emails are unique per merchant, case-insensitively (409 email_already_registered), and so are sign-in addresses", async () => {
    const first = await client.createUser(userInput({ email: "Grace.Hopper@Example.com" }));
    expect(first.status).toBe(201);
    const again = await client.createUser(userInput({ email: "grace.hopper@example.COM" }));
    expect([again.status, again.errorId]).toEqual([409, "email_already_registered"]);
    expect(again.errorMessage).toMatch(/^email\b/);

    await createUser(client, OTHER_WALLET);
    const sameAddress = await client.createUser(userInput({ sign_in_crypto_address: OTHER_WALLET.address.toLowerCase() }));
    expect([sameAddress.status, sameAddress.errorId]).toEqual([409, "address_already_registered"]);
  });

  it("dates its answers by the sandbox clock", async () => {
    await advanceClock(sandbox, 86_400);
    const answer = await client.createUser(userInput());
    const date = Date.parse(answer.headers.get("date") ?? "");
    expect(date - Date.now()).toBeGreaterThan(86_400_000 - 5_000);
    expect(date - Date.now()).toBeLessThan(86_400_000 + 5_000);
  });
});
