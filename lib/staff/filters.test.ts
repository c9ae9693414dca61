import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, parseListQuery, parseTimeRange } from "./filters";

const parse = (query: string) => parseListQuery(new URLSearchParams(query));

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) {
      expect(error.status).toBe(400);
      return error.code;
    }
    throw error;
  }
  throw new Error("did not throw");
}

describe("staff list parameters", () => {
  it("reads every filter, empty ones ignored", () => {
    const cursor = encodeCursor({ createdAt: "2026-01-01T00:00:00.123456Z", id: "0b3c8f1e-1111-4222-8333-444455556666" });
    expect(parse(`status=verified&provider=unblock&q=%20Alice%40example.com%20&from=2026-01-01&to=2026-02-01T00:00:00Z&limit=10&cursor=${cursor}`)).toEqual({
      status: "verified",
      provider: "unblock",
      q: "Alice@example.com",
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-02-01T00:00:00Z"),
      limit: 10,
      cursor: { createdAt: "2026-01-01T00:00:00.123456Z", id: "0b3c8f1e-1111-4222-8333-444455556666" },
    });
    expect(parse("status=&q=")).toEqual({ limit: DEFAULT_LIMIT });
  });

  it.each([
    ["status=done", "invalid_status"],
    ["provider=stripe", "invalid_provider"],
    ["stuck=yes", "invalid_stuck"],
    ["from=yesterday", "invalid_time"],
    ["to=2026-01-01T10:00", "invalid_time"],
    ["from=2026-02-01&to=2026-01-01", "invalid_range"],
    ["cursor=abc", "invalid_cursor"],
    [`cursor=${Buffer.from("2026-01-01T00:00:00Z|x").toString("base64url")}`, "invalid_cursor"],
    ["limit=0", "invalid_limit"],
    ["limit=201", "invalid_limit"],
    ["limit=1.5", "invalid_limit"],
    ["limit=ten", "invalid_limit"],
    ["status=pending&status=failed", "invalid_query"],
    [`q=${"x".repeat(321)}`, "invalid_query"],
    // out of the range Postgres reads (it has no year 0): a 400, not a database error
    ["from=0000-01-01", "invalid_time"],
    ["to=99999-01-01", "invalid_time"],
    ["to=%2B099999-01-01T00:00:00Z", "invalid_time"],
    ["q=a%00b", "invalid_query"],
    ["q=0x%0Aabc", "invalid_query"],
    [`cursor=${Buffer.from("0000-01-01T00:00:00.000000Z|0b3c8f1e-1111-4222-8333-444455556666").toString("base64url")}`, "invalid_cursor"],
    [`cursor=${Buffer.from("2026-13-45T99:99:99.000000Z|0b3c8f1e-1111-4222-8333-444455556666").toString("base64url")}`, "invalid_cursor"],
  ])("%s → 400 %s", (query, expected) => {
    expect(code(() => parse(query))).toBe(expected);
  });

  it("round-trips a cursor", () => {
    const cursor = { createdAt: "2026-01-01T00:00:00.000001Z", id: "0b3c8f1e-1111-4222-8333-444455556666" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("reads a metrics range", () => {
    expect(parseTimeRange(new URLSearchParams(""))).toEqual({});
    expect(code(() => parseTimeRange(new URLSearchParams("from=1700000000")))).toBe("invalid_time");
  });
});
