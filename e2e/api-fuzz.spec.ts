/**
 * A bounded fuzz run in `npm test` (the long one is `npm run fuzz`): every route of lib/edge/route-table.ts gets
 * generated requests — its methods and others, bad path segments, query strings, headers and bodies — with a
 * staff session, and every answer must be below 500, in time, JSON with a code under /api, with the security
 * headers and no secret of the deployment in it.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ALL_ROUTES, deploymentSecrets, describeFailure, fuzzRoute, type FuzzContext } from "../testing/fuzz-requests";
import { sessionCookie, stillSignedIn } from "../testing/app-sign-in";
import { STAFF_PRIVATE_KEY } from "./api-helpers";

const PER_ROUTE = 120;

test("every route answers generated bad requests with a 4xx (never a 5xx), in time, with the headers and no secret", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const dataDir = process.env.E2E_DATA_DIR!;
  const secrets = deploymentSecrets(dataDir);
  expect(secrets.length).toBeGreaterThan(3);
  const context: FuzzContext = {
    baseUrl: baseURL!,
    cookie: await sessionCookie(baseURL!, STAFF_PRIVATE_KEY),
    webhookSecret: fs.readFileSync(path.join(dataDir, "offblocks-webhook-secret"), "utf8").trim(),
    adminToken: fs.readFileSync(path.join(dataDir, "admin-token"), "utf8").trim(),
    secrets,
  };
  const failures: string[] = [];
  let requests = 0;
  for (const route of ALL_ROUTES) {
    context.cookie = await stillSignedIn(baseURL!, STAFF_PRIVATE_KEY, context.cookie);
    const report = await fuzzRoute(route, context, { count: PER_ROUTE, concurrency: 4, timeoutMs: 15_000, seed: 42 });
    requests += report.requests;
    failures.push(...report.failures.slice(0, 3).map((f) => `${route.pattern}: ${describeFailure(f)}`));
  }
  expect(requests).toBe(PER_ROUTE * ALL_ROUTES.length);
  expect(failures).toEqual([]);
});
