/**
 * The staff "Providers" page's server side: per provider (OffBlocks, Unblock, Bloq) whether it is the
 * configured real host or the sandbox, its health now, its last call and error rate (from the
 * `provider_call` events), the OffBlocks token expiry, signing keyId and webhook registration; and the staff
 * actions — rotate and revoke the OffBlocks credentials, and in sandbox mode the simulator (verify or
 * reject a customer, advance the sandbox clock). The page also shows the background job queue (lib/jobs):
 * jobs waiting, failed runs in the last 24 h and the last failure. Every action is an `onboarding_events` row of type
 * `staff_action` carrying the staff address (onboarding_id: the customer's onboarding, or null).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, gte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { onboardingEvents, onboardingSteps } from "../db/schema";
import { AppError } from "../errors";
import type { JobQueueStats } from "../jobs/queue";
import type { OffblocksClient } from "../providers/offblocks";
import { recordStaffAction, withStaffActionOutcome } from "./staff-action-event";

export const PROVIDER_NAMES = ["offblocks", "unblock", "bloq"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The window of the error rate and call count. */
export const ACTIVITY_WINDOW_HOURS = 24;
/** The word staff must type to revoke the OffBlocks credentials. */
export const REVOKE_CONFIRMATION = "REVOKE";
/** The largest single sandbox clock move the page offers (30 days). */
export const MAX_CLOCK_ADVANCE_SECONDS = 30 * 24 * 3600;

export const RotateCredentialsBodySchema = z.strictObject({
  apiKey: z.uuid({ message: "apiKey must be a UUID" }),
  apiSecret: z.string().min(16, { message: "apiSecret must be at least 16 characters" }).max(512),
});
export const RevokeCredentialsBodySchema = z.strictObject({ confirm: z.string().max(64) });
export const AdvanceClockBodySchema = z.strictObject({
  advanceSeconds: z.number().int().positive().max(MAX_CLOCK_ADVANCE_SECONDS),
});
export const CustomerIdSchema = z.uuid();

export interface ProviderActivity {
  /** ISO time of the newest provider call, or null */
  lastCallAt: string | null;
  lastCallOutcome: "ok" | "error" | null;
  /** calls in the window */
  calls: number;
  errors: number;
  /** errors / calls in the window, null without calls */
  errorRate: number | null;
}

export interface ProviderCard extends ProviderActivity {
  name: ProviderName;
  mode: "configured" | "sandbox";
  baseUrl: string;
  health: "ok" | "down";
  /** expiry of the merchant token in use, when the provider has one we can see */
  tokenExpiresAt: string | null;
}

export interface OffblocksDetails {
  credentialSource: "config" | "stored";
  credentialVersion: number;
  apiKey: string | null;
  revoked: boolean;
  rotationPending: boolean;
  signingKeyId: string | null;
  signingKeyFingerprint: string;
  /** callbackUrl with our secret path segment masked */
  webhooks: { id: string; callbackUrl: string; types: string[] }[];
  /** set when the webhooks could not be read (e.g. credentials revoked) */
  webhooksError: string | null;
}

export interface ProvidersStatus {
  sandbox: { enabled: boolean };
  windowHours: number;
  providers: ProviderCard[];
  offblocks: OffblocksDetails;
  /** the background job queue; null when it could not be read */
  jobs: JobQueueStats | null;
}

/** What the status needs from the providers (the process's clients in routes, explicit ones in tests). */
export interface ProviderClients {
  offblocks: OffblocksClient;
  unblockHealth: () => Promise<"ok" | "down">;
  bloqHealth: () => Promise<"ok" | "down">;
  /** the job queue's counts (lib/jobs) */
  jobStats?: () => Promise<JobQueueStats>;
}

export type ProvidersConfig = Pick<Config, "sandbox" | "offblocks" | "unblock" | "bloq">;

const EMPTY_ACTIVITY: ProviderActivity = { lastCallAt: null, lastCallOutcome: null, calls: 0, errors: 0, errorRate: null };

/**
 * Answers about what the person did — a wrong or expired code, a refused signature, an email or wallet already
 * taken, an address Bloq does not know — rather than about the provider: recorded as `outcome: "error"` calls,
 * but not counted in a provider's error rate (one mistyped code is not a 7 % outage).
 */
export const PERSON_CAUSED_CODES: readonly string[] = [
  "otp_invalid",
  "otp_expired",
  "otp_locked",
  "email_taken",
  "signature_invalid",
  "challenge_expired",
  "unblock_signature_invalid",
  "unblock_nonce_used",
  "unblock_wallet_taken",
  "bloq_address_not_allowed",
  "bloq_already_linked",
];

/** Last call and error rate per provider (provider trouble only: PERSON_CAUSED_CODES aside), from the `provider_call` events of the last `windowHours`. */
export async function providerActivity(db: Db, now = new Date(), windowHours = ACTIVITY_WINDOW_HOURS): Promise<Record<ProviderName, ProviderActivity>> {
  const since = new Date(now.getTime() - windowHours * 3600_000);
  const counts = await db
    .select({
      provider: onboardingEvents.provider,
      calls: sql<number>`count(*)::int`,
      errors: sql<number>`count(*) filter (where ${onboardingEvents.data}->>'outcome' = 'error' and coalesce(${onboardingEvents.data}->>'code', '') not in (${sql.join(
        PERSON_CAUSED_CODES.map((code) => sql`${code}`),
        sql`, `,
      )}))::int`,
    })
    .from(onboardingEvents)
    .where(and(eq(onboardingEvents.type, "provider_call"), gte(onboardingEvents.at, since)))
    .groupBy(onboardingEvents.provider);
  const result = {} as Record<ProviderName, ProviderActivity>;
  for (const name of PROVIDER_NAMES) {
    const [last] = await db
      .select({ at: onboardingEvents.at, outcome: sql<string | null>`${onboardingEvents.data}->>'outcome'` })
      .from(onboardingEvents)
      .where(and(eq(onboardingEvents.type, "provider_call"), eq(onboardingEvents.provider, name)))
      .orderBy(sql`${onboardingEvents.id} desc`)
      .limit(1);
    const count = counts.find((row) => row.provider === name);
    const calls = Number(count?.calls ?? 0);
    const errors = Number(count?.errors ?? 0);
    result[name] = last
      ? {
          lastCallAt: last.at.toISOString(),
          lastCallOutcome: last.outcome === "error" ? "error" : "ok",
          calls,
          errors,
          errorRate: calls > 0 ? errors / calls : null,
        }
      : { ...EMPTY_ACTIVITY, calls, errors, errorRate: calls > 0 ? errors / calls : null };
  }
  return result;
}

/** Our webhook URL ends in a secret path segment: shown as `…/api/webhooks/offblocks/•••`, never in full. */
export function maskWebhookSecret(callbackUrl: string): string {
  return callbackUrl.replace(/(\/api\/webhooks\/offblocks\/)[^/?#]+/, "$1•••");
}

async function safely<T>(work: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await work();
  } catch {
    return fallback;
  }
}

function isSandboxUrl(url: string, cfg: ProvidersConfig): boolean {
  return url.startsWith(cfg.sandbox.url);
}

/** The whole Providers page: one card per provider, and the OffBlocks credential details. */
export async function providersStatus(db: Db, cfg: ProvidersConfig, clients: ProviderClients, now = new Date()): Promise<ProvidersStatus> {
  const [activity, offblocksHealth, unblockHealth, bloqHealth, jobs] = await Promise.all([
    providerActivity(db, now),
    safely(() => clients.offblocks.health(), "down" as const),
    safely(clients.unblockHealth, "down" as const),
    safely(clients.bloqHealth, "down" as const),
    clients.jobStats ? safely(clients.jobStats, null) : Promise.resolve(null),
  ]);
  // after the health check, so the token it obtained is the one shown
  const credentials = await clients.offblocks.credentials.status();
  let webhooks: OffblocksDetails["webhooks"] = [];
  let webhooksError: string | null = null;
  if (credentials.revoked) {
    webhooksError = "The credentials are revoked: OffBlocks cannot be asked.";
  } else {
    try {
      webhooks = (await clients.offblocks.listWebhooks()).map((w) => ({ id: w.id, callbackUrl: maskWebhookSecret(w.callbackUrl), types: [...w.types] }));
    } catch (error) {
      webhooksError = error instanceof AppError ? error.message : "OffBlocks did not answer.";
    }
  }
  const card = (name: ProviderName, baseUrl: string, health: "ok" | "down", tokenExpiresAt: string | null): ProviderCard => ({
    name,
    mode: isSandboxUrl(baseUrl, cfg) ? "sandbox" : "configured",
    baseUrl,
    health,
    tokenExpiresAt,
    ...activity[name],
  });
  return {
    sandbox: { enabled: cfg.sandbox.enabled },
    windowHours: ACTIVITY_WINDOW_HOURS,
    providers: [
      card("offblocks", cfg.offblocks.baseUrl, offblocksHealth, credentials.tokenExpiresAt?.toISOString() ?? null),
      // Unblock authenticates the merchant with a static API key (no token); users' sessions are per onboarding
      card("unblock", cfg.unblock.baseUrl, unblockHealth, null),
      // Bloq's client token is cached inside its client and not exposed
      card("bloq", cfg.bloq.accountsUrl, bloqHealth, null),
    ],
    offblocks: {
      credentialSource: credentials.source,
      credentialVersion: credentials.version,
      apiKey: credentials.apiKey,
      revoked: credentials.revoked,
      rotationPending: credentials.rotationPending,
      signingKeyId: credentials.signingKeyId,
      signingKeyFingerprint: credentials.signingKeyFingerprint,
      webhooks,
      webhooksError,
    },
    jobs,
  };
}

/** New sandbox credentials: a random uuid key and a 32-byte secret (base64url). */
export function generateCredentials(): { apiKey: string; apiSecret: string } {
  return { apiKey: randomUUID(), apiSecret: randomBytes(32).toString("base64url") };
}

/** `PUT /auth/credentials` through the live client: the next user call uses the new credentials, no restart. */
export async function rotateOffblocksCredentials(
  db: Db,
  client: OffblocksClient,
  staff: string,
  body: { apiKey: string; apiSecret: string },
): Promise<{ version: number; apiKey: string }> {
  const { version } = await withStaffActionOutcome(
    db,
    { staff, action: "offblocks_rotate_credentials", provider: "offblocks", data: { apiKey: body.apiKey } },
    () => client.credentials.rotate(body.apiKey, body.apiSecret),
    ({ version }) => ({ version }),
  );
  return { version, apiKey: body.apiKey };
}

/** `DELETE /auth/credentials`, only with the typed confirmation (400 `confirmation_required` otherwise). */
export async function revokeOffblocksCredentials(db: Db, client: OffblocksClient, staff: string, body: { confirm: string }): Promise<{ revoked: true }> {
  if (body.confirm !== REVOKE_CONFIRMATION) {
    throw new AppError("confirmation_required", 400, `Type ${REVOKE_CONFIRMATION} to revoke the OffBlocks credentials.`);
  }
  const before = await client.credentials.status();
  if (before.revoked) throw new AppError("already_revoked", 409, "The OffBlocks credentials are already revoked.");
  await withStaffActionOutcome(db, { staff, action: "offblocks_revoke_credentials", provider: "offblocks", data: { apiKey: before.apiKey } }, () =>
    client.credentials.revoke(),
  );
  return { revoked: true };
}

function requireSandbox(cfg: Pick<Config, "sandbox">): void {
  if (!cfg.sandbox.enabled) throw new AppError("not_found", 404, "The simulator exists only in sandbox mode.");
}

/** Sandbox only: `PATCH /simulator/customers/{id}/verify|reject`, recorded on the customer's onboarding. */
export async function simulateCustomer(
  db: Db,
  cfg: Pick<Config, "sandbox">,
  client: OffblocksClient,
  staff: string,
  customerId: string,
  outcome: "verify" | "reject",
): Promise<{ customerId: string; outcome: "verify" | "reject"; onboardingId: string | null }> {
  requireSandbox(cfg);
  const id = CustomerIdSchema.safeParse(customerId);
  if (!id.success) throw new AppError("invalid_request", 400, "The customer id must be a UUID.");
  const [step] = await db
    .select({ onboardingId: onboardingSteps.onboardingId })
    .from(onboardingSteps)
    .where(and(eq(onboardingSteps.provider, "offblocks"), eq(onboardingSteps.externalId, id.data)))
    .limit(1);
  const onboardingId = step?.onboardingId ?? null;
  if (outcome === "verify") await client.simulateVerify(id.data);
  else await client.simulateReject(id.data);
  await recordStaffAction(db, {
    staff,
    action: outcome === "verify" ? "simulator_verify" : "simulator_reject",
    provider: "offblocks",
    onboardingId,
    data: { customerId: id.data },
  });
  return { customerId: id.data, outcome, onboardingId };
}

/** Sandbox only: `POST /_sandbox/clock {advanceSeconds}`. */
export async function advanceSandboxClock(
  db: Db,
  cfg: Pick<Config, "sandbox">,
  staff: string,
  advanceSeconds: number,
  fetchImpl: typeof fetch = fetch,
): Promise<{ advanceSeconds: number }> {
  requireSandbox(cfg);
  let response: Response;
  try {
    response = await fetchImpl(`${cfg.sandbox.url}/_sandbox/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    throw new AppError("sandbox_unavailable", 502, "The sandbox did not answer.");
  }
  if (!response.ok) throw new AppError("sandbox_refused", 502, `The sandbox refused to move its clock (${response.status}).`);
  await recordStaffAction(db, { staff, action: "sandbox_clock_advance", data: { advanceSeconds } });
  return { advanceSeconds };
}
