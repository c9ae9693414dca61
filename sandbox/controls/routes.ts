/**
 * /_sandbox: the controls a real provider never has. The clock, faults, reset and webhook delivery
 * inspection, and the Unblock mailbox (`GET /mailbox?email=` → `{items: [{to, subject, body, code, sentAt}]}`,
 * oldest first; every email when `email` is left out), and Bloq's user switch (`POST /bloq/users
 * {address, known}` → 200 `{address, known}`, address EIP-55): every address is a Bloq Stake user except
 * those marked `known: false`, which then get 404 at the nonce and 401 at the login; `known: true` undoes it.
 * `GET /requests?provider=&method=&path=` → `{items: [{method, path, status, seq}]}`: the requests served, oldest
 * first, the newest few thousand (request-log.ts); `path` is exact, without the query; `seq` numbers every request
 * served since start, so a reader polling the log counts each once after older ones left it.
 * `GET /offblocks/customers` → `{items: [customer]}`: every OffBlocks customer, oldest first, whichever
 * credentials created it (so a soak can check that no wallet got two).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../http/env";
import { SANDBOX_ERROR, SandboxHttpError } from "../http/errors";
import { parseJsonBody } from "../http/json-body";
import type { SandboxClock } from "./clock";
import { FaultCreateSchema, type FaultRegistry } from "./faults";
import { SANDBOX_PROVIDER_NAMES } from "./providers";
import type { RequestFilter, ServedRequest } from "./request-log";

const ClockAdvanceSchema = z.object({
  advanceSeconds: z
    .number()
    .finite()
    .min(-10 * 365 * 24 * 3600)
    .max(10 * 365 * 24 * 3600),
});

export interface ControlsDeps {
  clock: SandboxClock;
  faults: FaultRegistry;
  /** every provider back to empty state and default credentials */
  reset(): void;
  webhookDeliveries(): readonly object[];
  /** every OffBlocks customer, oldest first */
  offblocksCustomers(): readonly object[];
  /** the requests served, oldest first, filtered */
  requests(filter: RequestFilter): readonly ServedRequest[];
  /** the emails Unblock would have sent, oldest first; only those to `email` (case-insensitive) when given */
  mailbox(email: string | undefined): readonly object[];
  /** marks an address as a Bloq Stake user or not */
  bloqUser(address: string, known: boolean): object;
}

const BloqUserSchema = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address"),
  known: z.boolean(),
});

const RequestsQuerySchema = z.object({
  provider: z.enum(SANDBOX_PROVIDER_NAMES).optional(),
  method: z
    .string()
    .regex(/^[A-Za-z]{1,16}$/, "must be an HTTP method")
    .optional(),
  path: z.string().startsWith("/").max(2048).optional(),
});

const MailboxQuerySchema = z.object({ email: z.string().min(1).max(254).optional() });

export function controlRoutes(deps: ControlsDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const clockView = () => ({ now: deps.clock.nowDate().toISOString(), offsetSeconds: deps.clock.offsetSeconds });

  app.get("/clock", (c) => c.json(clockView(), 200));
  app.post("/clock", (c) => {
    const { advanceSeconds } = parseJsonBody(c, ClockAdvanceSchema);
    deps.clock.advance(advanceSeconds);
    return c.json(clockView(), 200);
  });

  app.get("/faults", (c) => c.json({ items: deps.faults.list() }, 200));
  app.post("/faults", (c) => {
    const fault = deps.faults.add(parseJsonBody(c, FaultCreateSchema));
    return c.json({ id: fault.id }, 201);
  });
  app.delete("/faults", (c) => {
    deps.faults.clear();
    return c.body(null, 204);
  });

  app.post("/reset", (c) => {
    deps.reset();
    return c.body(null, 204);
  });

  app.get("/webhooks/deliveries", (c) => c.json({ items: deps.webhookDeliveries() }, 200));

  app.get("/offblocks/customers", (c) => c.json({ items: deps.offblocksCustomers() }, 200));

  app.get("/requests", (c) => {
    const query = RequestsQuerySchema.safeParse({ provider: c.req.query("provider"), method: c.req.query("method"), path: c.req.query("path") });
    if (!query.success) {
      const issue = query.error.issues[0];
      throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, `${issue?.path.join(".") ?? "query"}: ${issue?.message ?? "invalid"}`);
    }
    return c.json({ items: deps.requests(query.data) }, 200);
  });

  app.get("/mailbox", (c) => {
    const query = MailboxQuerySchema.safeParse({ email: c.req.query("email") });
    if (!query.success) throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, "email: must be an email address");
    return c.json({ items: deps.mailbox(query.data.email) }, 200);
  });

  app.post("/bloq/users", (c) => {
    const { address, known } = parseJsonBody(c, BloqUserSchema);
    return c.json(deps.bloqUser(address, known), 200);
  });
  app.all("/*", () => {
    throw new SandboxHttpError(404, SANDBOX_ERROR.notFound, "No such sandbox control");
  });

  return app;
}
