/** The email-code login: the mailbox, 10 min expiry by the sandbox clock, lock-out after 5 wrong tries, single use. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OtpRequestedSchema, SessionSchema } from "@/lib/providers/unblock/types";
import type { SandboxHandle } from "../server";
import type { IndependentUnblockClient } from "./independent-client";
import { advanceClock, control, createUser, emailedCode, mailbox, startHarness } from "./test-fixtures";

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("unblock: email code login", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  let user: { uuid: string; email: string };
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
    user = await createUser(client, null);
  });
  afterEach(() => sandbox.close());

  it("sends a 6-digit code to the mailbox and trades it for a session, once", async () => {
    const requested = await client.requestCode(user.uuid);
    expect(requested.status).toBe(200);
    expect(OtpRequestedSchema.parse(requested.body).user_uuid).toBe(user.uuid);

    const items = await mailbox(sandbox, user.email.toUpperCase());
    expect(items).toHaveLength(1);
    const [mail] = items;
    expect(mail).toEqual({
      to: user.email,
      subject: expect.any(String),
      body: expect.any(String),
      code: expect.stringMatching(/^\d{6}$/),
      sentAt: expect.any(String),
    });
    expect(mail?.body).toContain(mail?.code);

    const session = await client.verifyCode(user.uuid, mail?.code ?? "");
    expect(session.status).toBe(200);
    expect(SessionSchema.parse(session.body).user_uuid).toBe(user.uuid);

    const reused = await client.verifyCode(user.uuid, mail?.code ?? "");
    expect([reused.status, reused.errorId]).toEqual([401, "otp_invalid"]);
  });

  it("keeps the mail per address, newest last; a new code replaces the old one", async () => {
    const other = await createUser(client, null);
    const first = await emailedCode(client, sandbox, user);
    await emailedCode(client, sandbox, other);
    const second = await emailedCode(client, sandbox, user);
    const items = await mailbox(sandbox, user.email);
    expect(items.map((item) => item.code)).toEqual([first, second]);
    expect(Date.parse(items[0]?.sentAt ?? "")).toBeLessThanOrEqual(Date.parse(items[1]?.sentAt ?? ""));
    const all = await control(sandbox, "GET", "/mailbox");
    expect((all.body as { items: unknown[] }).items).toHaveLength(3);

    if (first !== second) {
      const old = await client.verifyCode(user.uuid, first);
      expect([old.status, old.errorId]).toEqual([401, "otp_invalid"]);
    }
    expect((await client.verifyCode(user.uuid, second)).status).toBe(200);
  });

  it("expires a code after 10 minutes of sandbox time: 401 otp_expired", async () => {
    const code = await emailedCode(client, sandbox, user);
    await advanceClock(sandbox, 9 * 60 + 50);
    const stillFine = await emailedCode(client, sandbox, user);
    await advanceClock(sandbox, 10 * 60);
    for (const submitted of [code, stillFine]) {
      const expired = await client.verifyCode(user.uuid, submitted);
      expect([expired.status, expired.errorId]).toEqual([401, "otp_expired"]);
    }
    const fresh = await emailedCode(client, sandbox, user);
    expect((await client.verifyCode(user.uuid, fresh)).status).toBe(200);
  });

  it("locks after 5 wrong tries: even the right code fails (403 otp_locked) until a new code is requested", async () => {
    const code = await emailedCode(client, sandbox, user);
    for (let i = 1; i <= 4; i++) {
      const answer = await client.verifyCode(user.uuid, wrong(code));
      expect([answer.status, answer.errorId]).toEqual([401, "otp_invalid"]);
      expect(answer.errorMessage).toContain(`${5 - i}`);
    }
    const fifth = await client.verifyCode(user.uuid, "1234");
    expect([fifth.status, fifth.errorId]).toEqual([403, "otp_locked"]);
    const right = await client.verifyCode(user.uuid, code);
    expect([right.status, right.errorId]).toEqual([403, "otp_locked"]);

    const fresh = await emailedCode(client, sandbox, user);
    expect((await client.verifyCode(user.uuid, fresh)).status).toBe(200);
  });

  it("refuses unknown users, no pending code and malformed input", async () => {
    const unknownRequest = await client.requestCode(crypto.randomUUID());
    expect([unknownRequest.status, unknownRequest.errorId]).toEqual([404, "user_not_found"]);
    const unknownVerify = await client.verifyCode(crypto.randomUUID(), "123456");
    expect([unknownVerify.status, unknownVerify.errorId]).toEqual([404, "user_not_found"]);
    const nothingPending = await client.verifyCode(user.uuid, "123456");
    expect([nothingPending.status, nothingPending.errorId]).toEqual([401, "otp_invalid"]);
    for (const code of ["12", "1234567", "abcdef", "", " 123456"]) {
      const answer = await client.verifyCode(user.uuid, code);
      expect([answer.status, answer.errorId], code).toEqual([400, "invalid_request"]);
      expect(answer.errorMessage).toMatch(/^one_time_password\b/);
    }
    const badUuid = await client.requestCode("nope");
    expect([badUuid.status, badUuid.errorId]).toEqual([400, "invalid_request"]);
    expect((await control(sandbox, "GET", "/mailbox?email=")).status).toBe(400);
    expect(await mailbox(sandbox, "nobody@example.com")).toEqual([]);
  });
});
