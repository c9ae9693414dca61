/** Sessions (4 h by the sandbox clock, one per user) and the virtual bank accounts they open. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BankAccountSchema } from "@/lib/providers/unblock/types";
import type { SandboxHandle } from "../server";
import { isValidIban } from "./bank-accounts";
import type { IndependentUnblockClient } from "./independent-client";
import { advanceClock, createUser, emailedCode, startHarness, WALLET } from "./test-fixtures";

describe("unblock: sessions and bank accounts", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  let user: { uuid: string; email: string };
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
    user = await createUser(client, WALLET);
  });
  afterEach(() => sandbox.close());

  const siweSession = async () => {
    const { answer } = await client.siweLogin(WALLET);
    expect(answer.status, answer.text).toBe(200);
    return answer.body.unblock_session_id;
  };

  it("answers the user's EUR and GBP accounts, the same on every call", async () => {
    const session = await siweSession();
    const eur = await client.bankAccount(session, "EUR");
    expect(eur.status).toBe(200);
    const parsedEur = BankAccountSchema.parse(eur.body);
    if (parsedEur.currency !== "EUR") throw new Error("expected EUR");
    expect(parsedEur.iban).toMatch(/^LT\d{18}$/);
    expect(isValidIban(parsedEur.iban)).toBe(true);
    expect(parsedEur.bic).toMatch(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/);
    expect(parsedEur.account_holder).toBe("Ada Lovelace");

    const gbp = BankAccountSchema.parse((await client.bankAccount(session, "GBP")).body);
    if (gbp.currency !== "GBP") throw new Error("expected GBP");
    expect(gbp.sort_code).toMatch(/^\d{6}$/);
    expect(gbp.account_number).toMatch(/^\d{8}$/);

    expect((await client.bankAccount(session, "EUR")).body).toEqual(eur.body);
    const later = await siweSession();
    expect((await client.bankAccount(later, "GBP")).body).toEqual(gbp);

    const other = await createUser(client, null);
    const code = await emailedCode(client, sandbox, other);
    const otherSession = (await client.verifyCode(other.uuid, code)).body.unblock_session_id;
    const otherEur = BankAccountSchema.parse((await client.bankAccount(otherSession, "EUR")).body);
    expect(otherEur).not.toEqual(parsedEur);
  });

  it("needs a live session and a supported currency", async () => {
    const none = await client.bankAccount(undefined, "EUR");
    expect([none.status, none.errorId]).toEqual([401, "session_expired"]);
    const unknown = await client.bankAccount(crypto.randomUUID(), "EUR");
    expect([unknown.status, unknown.errorId]).toEqual([401, "session_expired"]);
    const garbage = await client.bankAccount("not a session", "EUR");
    expect([garbage.status, garbage.errorId]).toEqual([401, "session_expired"]);
    const session = await siweSession();
    for (const currency of ["USD", "eur", ""]) {
      const answer = await client.bankAccount(session, currency);
      expect([answer.status, answer.errorId], currency).toEqual([400, "invalid_request"]);
      expect(answer.errorMessage).toMatch(/^currency\b/);
    }
  });

  it("a session lasts 4 hours of sandbox time, then 401 session_expired", async () => {
    const session = await siweSession();
    await advanceClock(sandbox, 4 * 3600 - 30);
    expect((await client.bankAccount(session, "EUR")).status).toBe(200);
    await advanceClock(sandbox, 31);
    const expired = await client.bankAccount(session, "EUR");
    expect([expired.status, expired.errorId]).toEqual([401, "session_expired"]);
    const read = await client.getUser({ sessionId: session });
    expect([read.status, read.errorId]).toEqual([401, "session_expired"]);
    // signing in again (the client's clock follows the sandbox's Date header) opens a new one
    expect((await client.bankAccount(await siweSession(), "EUR")).status).toBe(200);
  });

  it("a new login, by either way, ends the previous session: 403 session_superseded", async () => {
    const first = await siweSession();
    const second = await siweSession();
    const old = await client.bankAccount(first, "EUR");
    expect([old.status, old.errorId]).toEqual([403, "session_superseded"]);
    expect((await client.getUser({ sessionId: first })).status).toBe(403);
    expect((await client.bankAccount(second, "EUR")).status).toBe(200);

    const code = await emailedCode(client, sandbox, user);
    const third = (await client.verifyCode(user.uuid, code)).body.unblock_session_id;
    expect((await client.bankAccount(second, "EUR")).status).toBe(403);
    expect((await client.bankAccount(third, "EUR")).status).toBe(200);

    // past its 4 h a superseded session is simply expired
    await advanceClock(sandbox, 4 * 3600 + 1);
    expect((await client.bankAccount(first, "EUR")).errorId).toBe("session_expired");
  });

  it("sessions of different users live side by side", async () => {
    const mine = await siweSession();
    const other = await createUser(client, null);
    const code = await emailedCode(client, sandbox, other);
    const theirs = (await client.verifyCode(other.uuid, code)).body.unblock_session_id;
    expect((await client.bankAccount(mine, "EUR")).status).toBe(200);
    expect((await client.bankAccount(theirs, "EUR")).status).toBe(200);
    expect(((await client.getUser({ sessionId: theirs })).body as { user_uuid: string }).user_uuid).toBe(other.uuid);
  });
});
