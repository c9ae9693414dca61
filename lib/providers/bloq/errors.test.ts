import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { bloqError, isJwtExpired, parseAnswer } from "./errors";
import { basicAuthorization } from "./accounts";
import { ClientTokensSchema } from "./types";

describe("Bloq answers → AppError", () => {
  it("recognises `jwt expired` as text, as a JSON string and as a message, on 401 only", () => {
    expect(isJwtExpired({ status: 401, body: "jwt expired" })).toBe(true);
    expect(isJwtExpired({ status: 401, body: "jwt expired\n" })).toBe(true);
    expect(isJwtExpired({ status: 401, body: { code: "unauthorized", message: "jwt expired" } })).toBe(true);
    expect(isJwtExpired({ status: 401, body: { code: "invalid_token", message: "The token is invalid" } })).toBe(false);
    expect(isJwtExpired({ status: 403, body: "jwt expired" })).toBe(false);
  });

  it("maps statuses to clear codes, never echoing a body", () => {
    expect(bloqError({ status: 401, body: "jwt expired" }, "status").code).toBe("bloq_token_expired");
    expect(bloqError({ status: 403, body: { code: "forbidden", message: "x" } }, "status")).toMatchObject({ code: "bloq_unauthorized", status: 502 });
    expect(bloqError({ status: 503, body: null }, "status")).toMatchObject({ code: "bloq_unavailable", status: 502 });
    const rejected = bloqError({ status: 422, body: { code: "odd", message: "secret-ish detail" } }, "status");
    expect(rejected).toMatchObject({ code: "bloq_rejected", status: 502, details: { upstreamStatus: 422, upstreamCode: "odd" } });
    expect(rejected.message).not.toContain("secret-ish");
  });

  it("an answer that does not parse is 502 bloq_bad_response", () => {
    const parse = () => parseAnswer(ClientTokensSchema, { accessToken: "a" }, "token");
    expect(parse).toThrow(AppError);
    expect(parse).toThrow(/unexpected token answer \(refreshToken/);
  });

  it("builds HTTP Basic from email and password", () => {
    expect(basicAuthorization("merchant@example.com", "p:ss")).toBe(`Basic ${Buffer.from("merchant@example.com:p:ss").toString("base64")}`);
  });
});
