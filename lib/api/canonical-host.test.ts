import { describe, expect, it } from "vitest";
import { canonicalPageUrl } from "./canonical-host";

const get = (host: string | undefined, url = "/", method = "GET") => ({ method, host, url });

describe("canonicalPageUrl", () => {
  it("leaves a page on PUBLIC_URL's host alone, whatever the case of the name", () => {
    expect(canonicalPageUrl(get("localhost:3000"), "http://localhost:3000")).toBeUndefined();
    expect(canonicalPageUrl(get("LocalHost:3000", "/staff"), "http://localhost:3000")).toBeUndefined();
    expect(canonicalPageUrl(get("onboard.example.com"), "https://onboard.example.com")).toBeUndefined();
  });

  it("sends a page on another host, or another port, to the same path and query on PUBLIC_URL", () => {
    expect(canonicalPageUrl(get("127.0.0.1:3000"), "http://localhost:3000")).toBe("http://localhost:3000/");
    expect(canonicalPageUrl(get("localhost:3001", "/staff/onboardings?status=active&q=ben"), "http://localhost:3000")).toBe(
      "http://localhost:3000/staff/onboardings?status=active&q=ben",
    );
    expect(canonicalPageUrl(get("10.0.0.7:3000", "/", "HEAD"), "https://onboard.example.com")).toBe("https://onboard.example.com/");
  });

  it("answers the API and Next's assets on any host, and redirects no other method nor a request with no Host", () => {
    for (const url of ["/api", "/api/health", "/api/auth/session?x=1", "/_next/static/chunks/a.js"]) {
      expect(canonicalPageUrl(get("127.0.0.1:3000", url), "http://localhost:3000"), url).toBeUndefined();
    }
    expect(canonicalPageUrl(get("127.0.0.1:3000", "/", "POST"), "http://localhost:3000")).toBeUndefined();
    expect(canonicalPageUrl(get(undefined), "http://localhost:3000")).toBeUndefined();
  });

  it("keeps an absolute-form request target on PUBLIC_URL's origin", () => {
    expect(canonicalPageUrl(get("127.0.0.1:3000", "http://evil.example/x"), "http://localhost:3000")).toBe("http://localhost:3000/");
  });
});
