/**
 * The sandbox server: every provider emulator under its prefix (shared/API.md) plus the /_sandbox controls,
 * on one port. All state belongs to the instance (clock, faults, provider state), so tests can start many
 * on port 0 side by side.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { createLogger } from "@/lib/log";
import { SANDBOX_PREFIX } from "@/lib/sandbox-defaults";
import { SandboxClock } from "./controls/clock";
import { injectFaults } from "./controls/fault-middleware";
import { FaultRegistry } from "./controls/faults";
import { controlRoutes } from "./controls/routes";
import { sandboxDateHeader } from "./http/date-header";
import type { SandboxEnv } from "./http/env";
import { errorResponse, SANDBOX_ERROR, SandboxHttpError, type ErrorRenderer } from "./http/errors";
import { readRawBody, requestTarget } from "./http/raw-body";
import { DEFAULT_AUTO_ADVANCE_MS } from "./offblocks/customer-lifecycle";
import { createOffblocksEmulator } from "./offblocks/emulator";
import { DEFAULT_WEBHOOK_RETRY, type WebhookRetryPolicy } from "./offblocks/webhook-delivery";
import { createUnblockEmulator } from "./unblock/emulator";
import { unblockErrorResponse } from "./unblock/errors";
import { createBloqEmulator } from "./bloq/emulator";
import { bloqErrorResponse } from "./bloq/errors";
import { SANDBOX_PROVIDERS } from "./controls/providers";
import { RequestLog, type ServedRequest } from "./controls/request-log";

export interface SandboxOptions {
  /** default 0 (any free port) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** delay of each automatic customer step (screening → verifying → active); false: never by itself */
  autoAdvanceMs?: number | false;
  webhookRetry?: WebhookRetryPolicy;
  /** default: silent */
  logger?: Logger;
  /** how many served requests `requests` holds, the newest (default REQUEST_LOG_CAPACITY) */
  requestLogCapacity?: number;
}

export type { ServedRequest } from "./controls/request-log";

export interface SandboxHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + /offblocks/v1 */
  offblocksUrl: string;
  /** url + /unblock */
  unblockUrl: string;
  /** url + /bloq/accounts */
  bloqAccountsUrl: string;
  /** url + /bloq/stake */
  bloqStakeUrl: string;
  /** url + /bloq/connect */
  bloqConnectUrl: string;
  /** the requests served, oldest first: the newest REQUEST_LOG_CAPACITY (controls/request-log.ts) */
  readonly requests: ServedRequest[];
  close(): Promise<void>;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Each provider answers in its own error shape: Unblock `{error_id, message}`, Bloq `{code, message}` (or the
 * text `jwt expired`), the rest `{error: {code, message}}`.
 */
function errorRendererFor(path: string): ErrorRenderer {
  if (isUnder(path, SANDBOX_PREFIX.unblock)) return unblockErrorResponse;
  if (isUnder(path, SANDBOX_PROVIDERS.bloq)) return bloqErrorResponse;
  return errorResponse;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? createLogger({ name: "sandbox", level: "silent" });
  const clock = new SandboxClock();
  const faults = new FaultRegistry();
  const offblocks = createOffblocksEmulator({
    clock,
    logger,
    autoAdvanceMs: options.autoAdvanceMs ?? DEFAULT_AUTO_ADVANCE_MS,
    webhookRetry: options.webhookRetry ?? DEFAULT_WEBHOOK_RETRY,
  });
  const unblock = createUnblockEmulator({ clock, prefix: SANDBOX_PREFIX.unblock });
  const bloq = createBloqEmulator({ clock });
  const requestLog = new RequestLog(options.requestLogCapacity);

  const app = new Hono<SandboxEnv>();
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    const served = { method: c.req.method, path: requestTarget(c).path, status: c.res.status };
    requestLog.add(served);
    logger.info({ ...served, ms: Math.round(performance.now() - started) }, "request");
  });
  app.use(`${SANDBOX_PREFIX.offblocks}/*`, injectFaults(faults, "offblocks"));
  app.use(`${SANDBOX_PREFIX.unblock}/*`, sandboxDateHeader(clock), injectFaults(faults, "unblock", unblockErrorResponse));
  app.use(`${SANDBOX_PROVIDERS.bloq}/*`, sandboxDateHeader(clock), injectFaults(faults, "bloq", bloqErrorResponse));
  app.use("*", readRawBody());
  app.route(
    SANDBOX_PREFIX.controls,
    controlRoutes({
      clock,
      faults,
      reset() {
        faults.clear();
        clock.reset();
        offblocks.reset();
        unblock.reset();
        bloq.reset();
      },
      webhookDeliveries: () => offblocks.webhookDeliveries(),
      offblocksCustomers: () => offblocks.customers(),
      requests: (filter) => requestLog.list(filter),
      mailbox: (email) => unblock.mailbox(email),
      bloqUser: (address, known) => bloq.setUserKnown(address, known),
    }),
  );
  app.route(SANDBOX_PREFIX.offblocks, offblocks.app);
  app.route(SANDBOX_PREFIX.unblock, unblock.app);
  app.route(SANDBOX_PREFIX.bloqAccounts, bloq.accounts);
  app.route(SANDBOX_PREFIX.bloqStake, bloq.stake);
  app.route(SANDBOX_PREFIX.bloqConnect, bloq.connect);
  app.notFound((c) => errorRendererFor(requestTarget(c).path)(404, SANDBOX_ERROR.notFound, "No such route"));
  app.onError((error, c) => {
    const render = errorRendererFor(requestTarget(c).path);
    if (error instanceof SandboxHttpError) return render(error.status, error.code, error.message);
    if (error instanceof HTTPException && error.status < 500) {
      return render(error.status, SANDBOX_ERROR.invalidRequest, "Invalid request");
    }
    logger.error({ err: error }, "unhandled sandbox error");
    return render(500, SANDBOX_ERROR.internal, "Internal sandbox error");
  });

  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => logger.error({ err: error }, "sandbox server error"));
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    offblocksUrl: `${url}${SANDBOX_PREFIX.offblocks}`,
    unblockUrl: `${url}${SANDBOX_PREFIX.unblock}`,
    bloqAccountsUrl: `${url}${SANDBOX_PREFIX.bloqAccounts}`,
    bloqStakeUrl: `${url}${SANDBOX_PREFIX.bloqStake}`,
    bloqConnectUrl: `${url}${SANDBOX_PREFIX.bloqConnect}`,
    get requests() {
      return requestLog.list();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        offblocks.close();
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      return closing;
    },
  };
}
