import { describe, expect, it } from "vitest";
import { isOriginExempt, originRefusal } from "./origin";

const app = "http://localhost:3000";
const request = (method: string, origin?: string) => ({ method, headers: new Headers(origin === undefined ? {} : { origin }) });

describe("the Origin check of state-changing requests", () => {
  it("lets reads through whatever their origin", () => {
    expect(originRefusal(request("GET"), app)).toBeUndefined();
    expect(originRefusal(request("HEAD", "https://evil.example"), app)).toBeUndefined();
  });

  it("lets a same-origin POST, PUT, PATCH or DELETE through", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post"]) expect(originRefusal(request(method, app), app)).toBeUndefined();
  });

  it("refuses a foreign, null or missing Origin with 403 origin_forbidden", () => {
    for (const origin of ["https://evil.example", "http://localhost:3001", "https://localhost:3000", "null", "", undefined]) {
      expect(originRefusal(request("POST", origin), app), String(origin)).toMatchObject({ code: "origin_forbidden", status: 403 });
    }
    expect(originRefusal(request("DELETE", "http://localhost:3000.evil.example"), app)).toMatchObject({ status: 403 });
  });

  it("compares with the origin of PUBLIC_URL, whatever its path", () => {
    expect(originRefusal(request("POST", "https://app.example"), "https://app.example/onboarding/")).toBeUndefined();
  });

  it("exempts only provider webhooks and the CLI's admin routes (server to server, each authenticated by its own secret)", () => {
    expect(isOriginExempt("/api/webhooks/offblocks/some-secret")).toBe(true);
    expect(isOriginExempt("/api/admin/staff")).toBe(true);
    for (const path of ["/api/onboarding", "/api/webhooks", "/api/webhooksx/a", "/api/staff/webhooks/x", "/api/admin", "/api/staff/admin/x"]) {
      expect(isOriginExempt(path), path).toBe(false);
    }
  });
});
