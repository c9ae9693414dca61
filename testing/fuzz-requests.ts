/**
 * The fuzz suite's one generator and checker, used by the bounded Playwright run (e2e/api-fuzz.spec.ts, in
 * `npm test`) and the long run (`npm run fuzz`, scripts/fuzz.ts): fast-check arbitraries for a request to one
 * route of lib/edge/route-table.ts — its methods and others, path segments (percent-encoding good and bad),
 * query strings (staff filters out of range, NUL, forged cursors), headers and bodies — a raw node:http
 * sender with a per-request timeout, and the checks every answer must pass: no 5xx, no hang, JSON with an
 * error code under /api, the security headers, and no secret anywhere in the answer.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import fc from "fast-check";
import { SANDBOX_DEFAULTS } from "../lib/sandbox-defaults";
import { API_ROUTES, PAGE_ROUTES, type RouteEntry } from "../lib/edge/route-table";

export interface FuzzRequest {
  method: string;
  /** raw path and query, sent as is */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzContext {
  baseUrl: string;
  /** the real webhook secret, used in some webhook paths so the route is fuzzed beyond its 404 */
  webhookSecret?: string;
  /** e.g. a signed-in staff session's cookie, sent with some requests */
  cookie?: string;
  /** the admin token of DATA_DIR, sent with some admin requests */
  adminToken?: string;
  /** values that must never appear in an answer */
  secrets: readonly string[];
}

export const ALL_ROUTES: readonly RouteEntry[] = [...API_ROUTES, ...PAGE_ROUTES];

const OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "LOCK", "SEARCH", "PURGE"];

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("%zz", "%", "%E0%A4%A", "%00", "..", "%2e%2e", "%2F", "a%20b", "%C0%AF", "%ff%fe", "\u00e9", "😀", "0", "-1", "null"),
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
);

/** A value sent with its `%` as they are (malformed escapes stay malformed), anything else HTTP cannot carry escaped. */
const rawPercent = (value: string) => encodeURIComponent(value).replace(/%25/g, "%");

/** A path segment for a `[name]` segment: junk, a UUID, or (webhooks) the real secret. */
function segment(name: string, context: FuzzContext): fc.Arbitrary<string> {
  const base = junk.map((value) => (/[%]/.test(value) ? rawPercent(value) : encodeURIComponent(value)));
  if (name === "[secret]" && context.webhookSecret) return fc.oneof(fc.constant(context.webhookSecret), base);
  return base;
}

const DATES = [
  "0000-01-01",
  "99999-01-01",
  "+099999-01-01T00:00:00Z",
  "-000001-01-01",
  "2026-02-30",
  "2026-01-01T25:61Z",
  "1970-01-01",
  "9999-12-31T23:59:59.999Z",
  "2026-01-17T18:30:00+14:00",
  "yesterday",
  "",
];
const forgedCursor = fc
  .tuple(
    fc.constantFrom("0000-01-01T00:00:00.000000Z", "2026-13-45T99:99:99.000000Z", "2026-01-01T00:00:00.123456Z", "x"),
    fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })),
  )
  .map(([time, id]) => Buffer.from(`${time}|${id}`).toString("base64url"));

const queryValue = fc.oneof(
  fc.constantFrom(...DATES),
  forgedCursor,
  junk,
  fc.constantFrom("a\u0000b", "\u0000", "%00", "0x0", "200", "201", "verified", "offblocks", "true"),
);
const queryString = fc
  .array(fc.tuple(fc.constantFrom("from", "to", "q", "cursor", "status", "provider", "limit", "stuck", "last", "x", "q[]"), queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${/%/.test(v) ? rawPercent(v) : encodeURIComponent(v)}`).join("&")}` : ""));

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.constantFrom("message", "signature", "email", "code", "address", "chainId", "id", "seconds", "apiKey", "apiSecret", "otp"),
      queryValue.map(String),
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom('{"a":"\\u0000"}', "{", "[]", "null", '"x"', "1e999", '{"__proto__":{"x":1}}', "[".repeat(2000)),
);
const body = fc.oneof(
  jsonBody.map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0xff, 0xfe, 0x00])),
  fc.constant(Buffer.alloc(70 * 1024, 0x61)),
);

export function requestArbitrary(route: RouteEntry, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const parts = route.pattern.split("/").slice(1);
  const pathArb = fc
    .tuple(...parts.map((part) => (part.startsWith("[") ? segment(part, context) : fc.constant(part))), fc.constantFrom("", "", "", "/"))
    .map(([...pieces]) => `/${pieces.slice(0, -1).join("/")}${pieces.at(-1) ?? ""}`.replace(/^\/\/$/, "/"));
  const methodArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...route.methods) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) });
  const origin = new URL(context.baseUrl).origin;
  const headersArb = fc.record(
    {
      origin: fc.constantFrom(origin, origin, "http://evil.example", "null"),
      "content-type": fc.constantFrom(
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin1",
      ),
      accept: fc.constantFrom("application/json", "text/html", "*/*", "text/event-stream"),
      cookie: context.cookie ? fc.constantFrom(context.cookie, context.cookie, "session=garbage", "") : fc.constantFrom("session=garbage", ""),
      authorization: fc.constantFrom(...(context.adminToken ? [`Bearer ${context.adminToken}`] : []), "Bearer x", "Basic Zm9vOmJhcg==", ""),
      "x-forwarded-for": fc.constantFrom("1.2.3.4", "not-an-ip", "::1, 10.0.0.1"),
      "last-event-id": fc.constantFrom("1", "-1", "abc", "99999999999999999999"),
    },
    { requiredKeys: ["origin"] },
  );
  return fc
    .record({ method: methodArb, path: fc.tuple(pathArb, queryString).map(([p, q]) => p + q), headers: headersArb, body: fc.option(body, { nil: undefined }) })
    .map((r) => {
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([, v]) => v !== "" && v !== undefined)) as Record<string, string>;
      return { ...r, headers, body: r.method === "GET" || r.method === "HEAD" ? undefined : r.body };
    });
}

export interface FuzzAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** Sends one request; rejects after `timeoutMs` without an answer. An event stream is read up to its headers. */
export function send(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzAnswer> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started });
        if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
          res.destroy();
          done();
          return;
        }
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", done);
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(request.body);
  });
}

/** What is wrong with an answer (empty: nothing). */
export function answerProblems(request: FuzzRequest, answer: FuzzAnswer, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const pathname = request.path.split("?")[0] ?? "/";
  const api = pathname === "/api" || pathname.startsWith("/api/");
  if (answer.status >= 500) problems.push(`status ${answer.status}`);
  if (answer.headers["x-content-type-options"] !== "nosniff") problems.push("no X-Content-Type-Options: nosniff");
  if (answer.headers["x-frame-options"] !== "DENY") problems.push("no X-Frame-Options");
  if (!answer.headers["referrer-policy"]) problems.push("no Referrer-Policy");
  if (!answer.headers["content-security-policy"]) problems.push("no Content-Security-Policy");
  if (api && answer.status >= 400 && request.method !== "HEAD") {
    try {
      const code = (JSON.parse(answer.body) as { error?: { code?: unknown } }).error?.code;
      if (typeof code !== "string") problems.push("error answer without error.code");
    } catch {
      problems.push(`error answer is not JSON (${String(answer.headers["content-type"])})`);
    }
  }
  if (answer.status === 405 && !answer.headers.allow) problems.push("405 without Allow");
  const text = `${JSON.stringify(answer.headers)}\n${answer.body}`;
  // a secret the caller sent itself (the webhook path, echoed in a redirect's Location) is not a leak
  const sent = `${request.path}\n${JSON.stringify(request.headers)}`;
  for (const secret of secrets) if (!sent.includes(secret) && text.includes(secret)) problems.push(`a secret in the answer (${secret.slice(0, 4)}…)`);
  return problems;
}

/** Secret values of a sandbox-mode deployment: the generated files of DATA_DIR and the sandbox credentials. */
export function deploymentSecrets(dataDir: string): string[] {
  const files = ["offblocks-webhook-secret", "data-key", "admin-token", "session-password"];
  const fromFiles = files.flatMap((name) => {
    const file = path.join(dataDir, name);
    return fs.existsSync(file) ? [fs.readFileSync(file, "utf8").trim()] : [];
  });
  const pem = path.join(dataDir, "offblocks-signing-key.pem");
  const pemLine = fs.existsSync(pem)
    ? fs
        .readFileSync(pem, "utf8")
        .split("\n")
        .filter((line) => line && !line.startsWith("-----"))[1]
    : undefined;
  const sandbox = [SANDBOX_DEFAULTS.offblocks.apiSecret, SANDBOX_DEFAULTS.unblock.apiKey, SANDBOX_DEFAULTS.bloq.password, SANDBOX_DEFAULTS.bloq.clientSecret];
  return [...fromFiles, ...(pemLine ? [pemLine] : []), ...sandbox].filter((value) => value.length >= 8);
}

export interface RouteReport {
  route: string;
  requests: number;
  statuses: Record<number, number>;
  failures: { request: FuzzRequest; problems: string[] }[];
}

/** Sends `count` generated requests to one route, `concurrency` at a time, and reports what came back. */
export async function fuzzRoute(
  route: RouteEntry,
  context: FuzzContext,
  options: { count: number; concurrency: number; timeoutMs: number; seed?: number },
): Promise<RouteReport> {
  const requests = fc.sample(requestArbitrary(route, context), { numRuns: options.count, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  const report: RouteReport = { route: route.pattern, requests: 0, statuses: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      report.requests++;
      try {
        const answer = await send(context.baseUrl, request, options.timeoutMs);
        report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
        const problems = answerProblems(request, answer, context.secrets);
        if (problems.length) report.failures.push({ request, problems });
      } catch (error) {
        report.failures.push({ request, problems: [error instanceof Error ? error.message : String(error)] });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return report;
}

/** A failing request, printable (its body shortened). */
export function describeFailure(failure: RouteReport["failures"][number]): string {
  const { method, path: target, headers, body } = failure.request;
  return `${method} ${target} ${JSON.stringify(headers)} body=${body ? JSON.stringify(body.subarray(0, 80).toString("utf8")) : "-"} → ${failure.problems.join("; ")}`;
}
