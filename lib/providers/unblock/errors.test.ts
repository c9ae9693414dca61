import { describe, expect, it } from "vitest";
import { fieldsNamedIn, unblockError } from "./errors";

const answer = (status: number, error_id?: string, message = "refused") => ({ status, body: error_id ? { error_id, message } : "Bad Gateway" });

describe("Unblock answers → AppErrors", () => {
  it("gives the page one code for an expired or superseded session, with the reason", () => {
    expect(unblockError(answer(401, "session_expired"), "bank account", true)).toMatchObject({
      code: "unblock_session_expired",
      status: 401,
      details: { reason: "expired" },
    });
    expect(unblockError(answer(403, "session_superseded"), "bank account", true)).toMatchObject({
      code: "unblock_session_expired",
      status: 401,
      details: { reason: "superseded" },
    });
    // a bare 401/403 on a call that carried a session is that session's end; on any other call it is our key
    expect(unblockError(answer(403), "bank account", true)).toMatchObject({ code: "unblock_session_expired", details: { reason: "superseded" } });
    expect(unblockError(answer(401), "user")).toMatchObject({ code: "unblock_unauthorized", status: 502 });
    expect(unblockError(answer(401, "unauthorized"), "bank account", true)).toMatchObject({ code: "unblock_unauthorized", status: 502 });
  });

  it("names the fields of a validation refusal in the app's names", () => {
    expect(fieldsNamedIn("first_name: must be written in Latin letters; country: must be an ISO 3166-1 alpha-2 code")).toEqual({
      firstName: "must be written in Latin letters",
      country: "must be an ISO 3166-1 alpha-2 code",
    });
    expect(unblockError(answer(400, "invalid_request", "email: must be an email address"), "user")).toMatchObject({
      code: "invalid_request",
      status: 400,
      details: { fields: { email: "must be an email address" } },
    });
    expect(unblockError(answer(409, "email_already_registered"), "user")).toMatchObject({
      code: "email_taken",
      status: 409,
      details: { fields: { email: expect.any(String) } },
    });
  });

  it("maps the login and code refusals, and anything else to a 502 that does not echo Unblock's message", () => {
    expect(unblockError(answer(401, "nonce_already_used"), "sign-in")).toMatchObject({ code: "unblock_nonce_used", status: 409 });
    expect(unblockError(answer(401, "siwe_invalid"), "sign-in")).toMatchObject({ code: "unblock_signature_invalid", status: 400 });
    expect(unblockError(answer(400, "otp_invalid"), "email code")).toMatchObject({ code: "otp_invalid", status: 400 });
    expect(unblockError(answer(410, "otp_expired"), "email code")).toMatchObject({ code: "otp_expired", status: 410 });
    expect(unblockError(answer(429, "otp_locked"), "email code")).toMatchObject({ code: "otp_locked", status: 429 });
    expect(unblockError(answer(503), "user")).toMatchObject({ code: "unblock_unavailable", status: 502 });
    const other = unblockError(answer(418, "teapot", "secret internals"), "user");
    expect(other).toMatchObject({ code: "unblock_rejected", status: 502 });
    expect(other.message).not.toContain("secret internals");
  });
});
