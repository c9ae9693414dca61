import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowedMethods, API_ROUTES, findRoute, PAGE_ROUTES } from "./route-table";

const APP = path.resolve("app");

function* files(dir: string, name: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full, name);
    else if (entry.name === name) yield full;
  }
}

/** The URL pattern of a file under app/: route groups `(x)` are not in the URL. */
const patternOf = (file: string) =>
  "/" +
  path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((part) => part && !/^\(.*\)$/.test(part))
    .join("/");

describe("the route table", () => {
  it("lists every app/api route.ts with exactly the methods it exports", () => {
    const fromFiles = [...files(path.join(APP, "api"), "route.ts")].map((file) => {
      const source = fs.readFileSync(file, "utf8");
      const methods = [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]).sort();
      return { pattern: patternOf(file), methods };
    });
    const table = API_ROUTES.map((route) => ({ pattern: route.pattern, methods: [...route.methods].sort() }));
    const byPattern = (a: { pattern: string }, b: { pattern: string }) => a.pattern.localeCompare(b.pattern);
    expect(table.sort(byPattern)).toEqual(fromFiles.sort(byPattern));
  });

  it("lists every page.tsx", () => {
    const fromFiles = [...files(APP, "page.tsx")].map(patternOf).sort();
    expect(PAGE_ROUTES.map((route) => route.pattern).sort()).toEqual(fromFiles);
  });

  it("matches dynamic segments and nothing longer or shorter", () => {
    expect(findRoute(API_ROUTES, "/api/staff/onboardings/abc")?.pattern).toBe("/api/staff/onboardings/[id]");
    expect(findRoute(API_ROUTES, "/api/staff/onboardings.csv")?.pattern).toBe("/api/staff/onboardings.csv");
    expect(findRoute(API_ROUTES, "/api/health/")?.pattern).toBe("/api/health");
    expect(findRoute(API_ROUTES, "/api/staff/onboardings/abc/def")).toBeUndefined();
    expect(findRoute(API_ROUTES, "/api/nope")).toBeUndefined();
    expect(findRoute(PAGE_ROUTES, "/")?.pattern).toBe("/");
    expect(allowedMethods(findRoute(API_ROUTES, "/api/onboarding")!)).toEqual(["GET", "POST", "HEAD", "OPTIONS"]);
  });
});
