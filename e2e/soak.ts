/**
 * The soak: many API-level onboardings (e2e/api-journey.ts) through nginx to a fleet of app instances on one
 * Postgres (e2e/fleet-harness.ts) while OffBlocks fails — 503s before the work and answers lost after it —
 * one instance is killed with SIGKILL and started again, and the OffBlocks credentials are rotated once. Then
 * it counts what must hold: every onboarding active, no wallet with two OffBlocks customers, no 5xx from the
 * app for anything but a provider outage it reports, every event of the database in its onboarding's staff
 * timeline and in the staff live stream (read through nginx, and on the instance that is killed: reconnecting
 * with Last-Event-ID as a browser does, it must resume on the restarted instance), and one token request per credential (the run is shorter than a token's
 * lifetime). Used by `npm run soak` (scripts/soak.ts, 300 onboardings) and, bounded, by e2e/fleet-soak.spec.ts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { sessionCookie, STAFF_TEST_PRIVATE_KEY } from "../testing/app-sign-in";
import { onboardToActive, type Answer, type JourneyResult } from "./api-journey";
import { streamedEvents } from "./stream-events";
import type { Fleet } from "./fleet-harness";

export interface SoakOptions {
  onboardings: number;
  concurrency: number;
  /** told of progress, one line at a time */
  log?: (line: string) => void;
}

export interface SoakReport {
  onboardings: number;
  seconds: number;
  /** OffBlocks step status → onboardings */
  statuses: Record<string, number>;
  /** `<source> <status>` → answers, e.g. `app 200`, `proxy 502`, `network 0` */
  answers: Record<string, number>;
  /** the app's 5xx answers other than a provider being unavailable: must be none */
  appServerErrors: Answer[];
  /** the app's `*_unavailable` answers (OffBlocks down after every retry), which the person retried */
  providerUnavailable: number;
  /** OffBlocks answers the sandbox failed (injected before the work) or lost (after it) */
  injectedFaults: number;
  /** wallets (CAIP-10) with more than one OffBlocks customer */
  duplicateCustomers: string[];
  events: number;
  missingFromTimeline: number[];
  missingFromStream: number[];
  /** how often each stream (through nginx, on the killed instance) reconnected */
  streamReconnects: number[];
  /** token requests OffBlocks answered, over the credentials used */
  tokenRequests: number;
  credentials: number;
  kill: { afterOnboardings: number; restartSeconds: number } | undefined;
  rotation: { afterOnboardings: number } | undefined;
  /** what failed, in sentences; empty when the soak held */
  problems: string[];
}

const TOKEN_PATH = "/offblocks/v1/auth/token";

/** The staff live stream through `url`, kept open across instance deaths: reconnects with the last id it got. */
function collectStream(url: string, cookie: string) {
  const seen = new Map<number, string | null>();
  let lastId: string | undefined;
  let stopped = false;
  let reconnects = 0;
  const abort = new AbortController();
  const run = async () => {
    while (!stopped) {
      try {
        const headers: Record<string, string> = { cookie, ...(lastId ? { "last-event-id": lastId } : {}) };
        const response = await fetch(new URL("/api/staff/stream", url), { headers, signal: abort.signal });
        if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}`);
        const decoder = new TextDecoder();
        let buffer = "";
        const reader = response.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          // complete blocks only; the rest waits for its blank line
          const end = buffer.lastIndexOf("\n\n");
          if (end < 0) continue;
          const complete = buffer.slice(0, end + 2);
          buffer = buffer.slice(end + 2);
          lastId = [...complete.matchAll(/^id: (\S+)$/gm)].at(-1)?.[1] ?? lastId;
          for (const event of streamedEvents(complete)) seen.set(event.id, event.onboardingId);
        }
      } catch {
        // the instance died, or we stopped: reconnect from the last id, as EventSource does
      }
      if (!stopped) {
        reconnects++;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };
  const running = run();
  return {
    seen,
    reconnects: () => reconnects,
    async stop() {
      stopped = true;
      abort.abort();
      await running;
    },
  };
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function runSoak(fleet: Fleet, options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  if (!fleet.sandbox) throw new Error("the soak counts the requests of a sandbox in this process: start the fleet without sandboxUrl");
  const served = fleet.sandbox;
  const sandbox = fleet.sandboxUrl;
  const control = (method: string, route: string, body?: unknown) =>
    fetch(`${sandbox}/_sandbox${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const staffCookie = await sessionCookie(fleet.url, STAFF_TEST_PRIVATE_KEY);
  const staff = (method: string, route: string, body?: unknown) =>
    fetch(new URL(route, fleet.url), {
      method,
      headers: { cookie: staffCookie, origin: fleet.url, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  // one stream through nginx, and one on the instance that will be killed: it must resume on the restarted one
  const streams = [collectStream(fleet.url, staffCookie), collectStream(fleet.instances[0]!, staffCookie)];

  // 10 % of OffBlocks' customer calls fail before the work, 5 % lose their answer after it
  for (const fault of [
    { provider: "offblocks", path: "/customers", status: 503, rate: 0.1, phase: "before" },
    { provider: "offblocks", path: "/customers", status: 503, rate: 0.05, phase: "after" },
  ]) {
    await json(await control("POST", "/faults", fault), "adding a fault");
  }
  const servedBefore = served.requests.length;

  const answers = new Map<string, number>();
  const appServerErrors: Answer[] = [];
  let providerUnavailable = 0;
  const onAnswer = (answer: Answer) => {
    const key = `${answer.source} ${answer.status}`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
    if (answer.source === "app" && answer.status >= 500) {
      if (answer.code?.endsWith("_unavailable")) providerUnavailable++;
      else appServerErrors.push(answer);
    }
  };

  const started = performance.now();
  const results: JourneyResult[] = [];
  const failures: string[] = [];
  const background: Promise<void>[] = [];
  let kill: SoakReport["kill"];
  let rotation: SoakReport["rotation"];
  let credentials = 1;
  const killAt = Math.floor(options.onboardings / 3);
  const rotateAt = Math.floor((2 * options.onboardings) / 3);
  const finished = () => {
    const done = results.length + failures.length;
    if (done % 25 === 0) log(`  ${done}/${options.onboardings} onboardings (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (done === killAt) {
      kill = { afterOnboardings: done, restartSeconds: 0 };
      const record = kill;
      background.push(
        (async () => {
          log(`» SIGKILL instance 0 after ${done} onboardings, then starting it again`);
          const at = performance.now();
          await fleet.kill(0);
          await fleet.restart(0);
          record.restartSeconds = (performance.now() - at) / 1000;
          log(`» instance 0 healthy again after ${record.restartSeconds.toFixed(1)} s`);
        })(),
      );
    }
    if (done === rotateAt) {
      rotation = { afterOnboardings: done };
      background.push(
        (async () => {
          log(`» rotating the OffBlocks credentials after ${done} onboardings`);
          const rotated = await staff("POST", "/api/staff/providers/offblocks/credentials", {
            apiKey: randomUUID(),
            apiSecret: randomBytes(24).toString("base64url"),
          });
          await json(rotated, "rotating the OffBlocks credentials");
          credentials++;
        })(),
      );
    }
  };

  let next = 0;
  const person = async () => {
    while (next < options.onboardings) {
      next++;
      try {
        results.push(await onboardToActive({ baseUrl: fleet.url, publicUrl: fleet.url, onAnswer }));
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
      finished();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, person));
  await Promise.all(background);
  const seconds = (performance.now() - started) / 1000;
  await json(await control("DELETE", "/faults"), "clearing the faults").catch(() => undefined);
  log(`» ${results.length} onboardings in ${seconds.toFixed(1)} s; counting`);

  // what the database holds for these onboardings, against the timelines and the stream
  const database = new pg.Client({ connectionString: fleet.databaseUrl! });
  await database.connect();
  const ids = results.map((result) => result.onboardingId);
  const { rows } = await database.query<{ id: string; onboarding_id: string }>(
    "select id, onboarding_id from onboarding_events where onboarding_id = any($1::uuid[]) order by id",
    [ids],
  );
  await database.end();
  const events = rows.map((row) => ({ id: Number(row.id), onboardingId: row.onboarding_id }));

  const deadline = Date.now() + 30_000;
  const unseen = () => streams.flatMap((stream) => events.filter((event) => stream.seen.get(event.id) !== event.onboardingId).map((event) => event.id));
  while (Date.now() < deadline && unseen().length) await new Promise((resolve) => setTimeout(resolve, 250));
  await Promise.all(streams.map((stream) => stream.stop()));
  const missingFromStream = [...new Set(unseen())];
  const streamReconnects = streams.map((stream) => stream.reconnects());

  const inTimeline = new Set<number>();
  for (const id of ids) {
    const detail = await json<{ events: { id: number }[] }>(await staff("GET", `/api/staff/onboardings/${id}`), `the staff detail of ${id}`);
    for (const event of detail.events) inTimeline.add(event.id);
  }
  const missingFromTimeline = events.filter((event) => !inTimeline.has(event.id)).map((event) => event.id);

  const { items: customers } = await json<{ items: { chainId: string }[] }>(await control("GET", "/offblocks/customers"), "the sandbox's customers");
  const perWallet = new Map<string, number>();
  for (const customer of customers) perWallet.set(customer.chainId.toLowerCase(), (perWallet.get(customer.chainId.toLowerCase()) ?? 0) + 1);
  const duplicateCustomers = [...perWallet].filter(([, n]) => n > 1).map(([wallet]) => wallet);

  const servedNow = served.requests.slice(servedBefore);
  const tokenRequests = served.requests.filter((request) => request.method === "POST" && request.path === TOKEN_PATH && request.status === 200).length;
  const injectedFaults = servedNow.filter((request) => request.path.startsWith("/offblocks/v1/customers") && request.status === 503).length;

  const statuses: Record<string, number> = {};
  for (const result of results) statuses[result.status] = (statuses[result.status] ?? 0) + 1;
  const problems = [
    ...failures.map((failure) => `an onboarding did not end: ${failure}`),
    ...(statuses.active !== options.onboardings ? [`${statuses.active ?? 0} of ${options.onboardings} onboardings active (${JSON.stringify(statuses)})`] : []),
    ...(appServerErrors.length ? [`${appServerErrors.length} 5xx from the app: ${JSON.stringify(appServerErrors.slice(0, 5))}`] : []),
    ...(duplicateCustomers.length ? [`wallets with two OffBlocks customers: ${duplicateCustomers.join(", ")}`] : []),
    ...(missingFromTimeline.length ? [`${missingFromTimeline.length} events not in their timeline: ${missingFromTimeline.slice(0, 10).join(", ")}`] : []),
    ...(missingFromStream.length ? [`${missingFromStream.length} events not in the staff stream: ${missingFromStream.slice(0, 10).join(", ")}`] : []),
    ...(kill && streamReconnects[1] === 0 ? ["the stream on the killed instance never reconnected"] : []),
    ...(tokenRequests !== credentials ? [`${tokenRequests} token requests for ${credentials} credentials`] : []),
  ];
  return {
    onboardings: options.onboardings,
    seconds,
    statuses,
    answers: Object.fromEntries([...answers].sort()),
    appServerErrors,
    providerUnavailable,
    injectedFaults,
    duplicateCustomers,
    events: events.length,
    missingFromTimeline,
    missingFromStream,
    streamReconnects,
    tokenRequests,
    credentials,
    kill,
    rotation,
    problems,
  };
}
