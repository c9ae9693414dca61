import { describe, expect, it } from "vitest";
import { edgeRefusal } from "./refusal";

const refuse = (method: string, url: string, contentLength?: string) => edgeRefusal({ method, url, contentLength });

describe("what the edge refuses", () => {
  it("lets a request a route answers go on", () => {
    expect(refuse("GET", "/api/health")).toBeUndefined();
    expect(refuse("HEAD", "/api/health?x=1")).toBeUndefined();
    expect(refuse("POST", "/api/webhooks/offblocks/abc", "100")).toBeUndefined();
    expect(refuse("GET", "/staff/onboardings/abc")).toBeUndefined();
    expect(refuse("GET", "/no-such-page")).toBeUndefined();
  });

  it("answers malformed percent-encoding in any segment with a 400, JSON under /api", () => {
    expect(refuse("POST", "/api/webhooks/offblocks/%zz")).toMatchObject({ status: 400, code: "invalid_path", api: true });
    expect(refuse("GET", "/api/staff/onboardings/%zz")).toMatchObject({ status: 400, api: true });
    expect(refuse("GET", "/staff/onboardings/%E0%A4%A")).toMatchObject({ status: 400, api: false });
  });

  it("refuses a declared body over 64 KiB at once", () => {
    expect(refuse("POST", "/api/webhooks/offblocks/abc", "1000000000")).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(refuse("POST", "/api/auth/verify", String(64 * 1024))).toBeUndefined();
  });

  it("answers unknown /api paths with a JSON 404, other methods with 405 + Allow, OPTIONS with 204 + Allow", () => {
    expect(refuse("GET", "/api/nope")).toMatchObject({ status: 404, code: "not_found", api: true });
    expect(refuse("TRACE", "/api/health")).toMatchObject({ status: 405, code: "method_not_allowed", allow: "GET, HEAD, OPTIONS" });
    expect(refuse("propfind", "/api/onboarding")).toMatchObject({ status: 405, allow: "GET, POST, HEAD, OPTIONS" });
    expect(refuse("OPTIONS", "/api/auth/verify")).toEqual({ status: 204, allow: "POST, OPTIONS", api: true });
    expect(refuse("POST", "/")).toMatchObject({ status: 405, allow: "GET, HEAD, OPTIONS", api: false });
    expect(refuse("TRACE", "/_next/static/x.js")).toMatchObject({ status: 405 });
  });

  it("routes the path Next.js will route: dot segments resolved first", () => {
    expect(refuse("POST", "/api/staff/simulator/customers/../reject")).toMatchObject({ status: 404, code: "not_found", api: true });
    expect(refuse("GET", "/api/staff/%2e%2e/nothing")).toMatchObject({ status: 404, api: true });
    expect(refuse("GET", "/api/x/../health")).toBeUndefined();
  });

  it("asks for a length on a DELETE body sent in chunks (Next.js cannot read one)", () => {
    expect(edgeRefusal({ method: "DELETE", url: "/api/admin/staff", contentLength: undefined, chunked: true })).toMatchObject({
      status: 411,
      code: "length_required",
    });
    expect(edgeRefusal({ method: "DELETE", url: "/api/admin/staff", contentLength: "3", chunked: false })).toBeUndefined();
    expect(edgeRefusal({ method: "POST", url: "/api/admin/staff", contentLength: undefined, chunked: true })).toBeUndefined();
  });
});
