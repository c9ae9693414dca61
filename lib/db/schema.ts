/**
 * The database schema (Drizzle, PostgreSQL dialect: PGlite by default, Postgres when DATABASE_URL is set).
 * Migrations are generated from this file into lib/db/migrations (`npm run db:generate`).
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/** A 64-bit transaction id (Postgres `xid8`), as its decimal text: beyond a JS number's exact range. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => "xid8",
  fromDriver: (value) => String(value),
});

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/** One onboarding per wallet: the user's journey through the providers. */
export const onboardings = pgTable(
  "onboardings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** EIP-55 checksummed address; unique case-insensitively */
    address: text("address").notNull(),
    chainId: integer("chain_id").notNull(),
    /** pending | verified | failed */
    status: text("status").notNull().default("pending"),
    email: text("email"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * When OffBlocks first accepted the wallet's signature: the earliest OffBlocks status_change event into
     * a verified status (lib/staff/metrics.ts). Kept by a trigger on onboarding_events (migration 0006).
     */
    offblocksVerifiedAt: timestamp("offblocks_verified_at", { withTimezone: true, mode: "date" }),
    /** seconds from the start to offblocks_verified_at (the staff metrics' time to verified) */
    offblocksVerifiedSeconds: doublePrecision("offblocks_verified_seconds").generatedAlwaysAs(
      sql`extract(epoch from ("offblocks_verified_at" - "created_at"))::float8`,
    ),
  },
  (t) => [
    uniqueIndex("onboardings_address_key").on(sql`lower(${t.address})`),
    // NULLS FIRST, as in `order by created_at desc, id desc`: with Drizzle's default DESC NULLS LAST the
    // planner cannot use these indexes for the staff list's order and sorts the whole table instead
    index("onboardings_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("onboardings_status_created_idx").on(t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // staff search by email (q): lower(email) equality
    index("onboardings_email_idx").on(sql`lower(${t.email})`),
    // staff metrics: the exact time-to-verified percentiles, read inside one histogram bucket (index-only)
    index("onboardings_verified_seconds_idx")
      .on(t.offblocksVerifiedSeconds, t.createdAt)
      .where(sql`${t.offblocksVerifiedSeconds} is not null`),
    // staff metrics: the time-to-verified histogram of a partial day (index-only)
    index("onboardings_created_verified_idx")
      .on(t.createdAt, t.offblocksVerifiedSeconds)
      .where(sql`${t.offblocksVerifiedSeconds} is not null`),
  ],
);

/** A provider step of an onboarding: its status, the provider's id for the user, and encrypted secrets. */
export const onboardingSteps = pgTable(
  "onboarding_steps",
  {
    onboardingId: uuid("onboarding_id")
      .notNull()
      .references(() => onboardings.id, { onDelete: "cascade" }),
    /** offblocks | unblock | bloq */
    provider: text("provider").notNull(),
    status: text("status").notNull(),
    /** the provider's id of this user (OffBlocks customer id, Unblock user uuid, …) */
    externalId: text("external_id"),
    /** the text awaiting a signature, while one is awaited */
    challenge: text("challenge"),
    challengeExpiresAt: timestamp("challenge_expires_at", { withTimezone: true, mode: "date" }),
    /** AES-GCM sealed provider session/token (never sent to a browser) */
    secret: bytea("secret"),
    secretExpiresAt: timestamp("secret_expires_at", { withTimezone: true, mode: "date" }),
    /** the step's non-secret details (Unblock: the form the user filled in, when a code was sent, the account) */
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.onboardingId, t.provider] }),
    index("onboarding_steps_provider_status_idx").on(t.provider, t.status),
    index("onboarding_steps_external_idx").on(t.provider, t.externalId),
    // staff metrics: the challenges issued within the last hour (not yet stuck)
    index("onboarding_steps_challenge_issued_idx")
      .on(t.createdAt)
      .where(sql`${t.provider} = 'offblocks' and ${t.status} = 'challenge_issued'`),
  ],
);

/** Append-only log of what happened to an onboarding: provider calls, status changes, errors. No secrets. */
export const onboardingEvents = pgTable(
  "onboarding_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    onboardingId: uuid("onboarding_id").references(() => onboardings.id, { onDelete: "cascade" }),
    /** provider_call | status_change | error | staff_action */
    type: text("type").notNull(),
    provider: text("provider"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /**
     * The writing transaction's id, for the staff stream's commit-safe order (lib/staff/stream.ts); '0' for
     * the events written before the column existed (migration staff_stream_commit_order).
     */
    tx: xid8("tx")
      .notNull()
      .default(sql`pg_current_xact_id()`),
  },
  (t) => [
    index("onboarding_events_onboarding_idx").on(t.onboardingId, t.id),
    // the staff stream: events in (transaction, id) order
    index("onboarding_events_stream_idx").on(t.tx, t.id),
    index("onboarding_events_at_idx").on(t.at),
    // staff metrics: when each onboarding's OffBlocks step left the challenge
    index("onboarding_events_offblocks_status_idx")
      .on(t.onboardingId, t.at)
      .where(sql`${t.type} = 'status_change' and ${t.provider} = 'offblocks'`),
  ],
);

/**
 * The staff metrics' rollup: per UTC hour of onboarding creation, the funnel and status counters of the
 * onboardings created in that hour. Written only by the database's triggers (migrations 0006, 0011) and rebuilt by
 * `staff_metrics_rebuild()` after a bulk seed; read by lib/staff/metrics.ts, which sums an hour's slots.
 *
 * An hour is kept in STAFF_METRICS_SLOTS rows (`slot`, from the onboarding's id): every write about an onboarding
 * updates its hour's counters in the same transaction, so with one row per hour concurrent onboardings queued on
 * that row's lock until each writer committed; spread over slots they rarely meet.
 */
export const staffMetricsHourly = pgTable(
  "staff_metrics_hourly",
  {
    /** the hour's start, UTC (timestamp without time zone) */
    hour: timestamp("hour", { mode: "string" }).notNull(),
    /** `staff_metrics_slot(onboarding id)`, 0 to 15; a rebuild writes slot 0 only */
    slot: smallint("slot").notNull().default(0),
    started: integer("started").notNull().default(0),
    signedIn: integer("signed_in").notNull().default(0),
    offblocksVerified: integer("offblocks_verified").notNull().default(0),
    active: integer("active").notNull().default(0),
    /** OffBlocks steps awaiting a signature (stuck once older than an hour) */
    challengeIssued: integer("challenge_issued").notNull().default(0),
    unblockSession: integer("unblock_session").notNull().default(0),
    bloqLinked: integer("bloq_linked").notNull().default(0),
    pending: integer("pending").notNull().default(0),
    verified: integer("verified").notNull().default(0),
    failed: integer("failed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.slot] })],
);

/**
 * Histogram of the time to OffBlocks verified per UTC day of onboarding creation: `bucket` is
 * `staff_ttv_bucket(seconds)` (0 below 1 s, then 5 %-wide log buckets). Kept by the same triggers.
 */
export const staffMetricsTtv = pgTable(
  "staff_metrics_ttv",
  {
    day: date("day", { mode: "string" }).notNull(),
    bucket: integer("bucket").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.bucket] })],
);

/**
 * Wallets with staff rights besides STAFF_ADDRESSES (managed with `npm run cli -- staff add|remove|list`).
 * `address` is EIP-55; unique case-insensitively.
 */
export const staff = pgTable("staff", {
  address: text("address").primaryKey(),
  addedAt: timestamp("added_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/**
 * Idempotency keys of outgoing provider calls, stored before the first attempt so that every retry — even
 * after a crash and restart — sends the same key. `operation` names the logical call (e.g.
 * `offblocks:create-customer:<onboarding id>`).
 */
export const idempotencyKeys = pgTable("idempotency_keys", {
  operation: text("operation").primaryKey(),
  provider: text("provider").notNull(),
  key: uuid("key").notNull(),
  /** sha-256 of the request body the key was first used with */
  requestHash: text("request_hash").notNull(),
  /** the provider's status code once a final answer arrived */
  responseStatus: integer("response_status"),
  createdAt: createdAt(),
  completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
});

/** The merchant's credentials and their state at each provider (secrets sealed with AES-GCM). */
export const providerCredentials = pgTable("provider_credentials", {
  provider: text("provider").primaryKey(),
  apiKey: text("api_key"),
  secret: bytea("secret"),
  /** OffBlocks: the keyId of our registered request-signing key */
  signingKeyId: text("signing_key_id"),
  tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true, mode: "date" }),
  /**
   * Credentials a rotation is installing, written before the provider is asked to switch, so that a crash
   * between the provider's answer and our commit cannot lose them; cleared once the rotation is recorded.
   */
  pendingApiKey: text("pending_api_key"),
  pendingSecret: bytea("pending_secret"),
  /** bumped on every rotation */
  version: integer("version").notNull().default(1),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  updatedAt: updatedAt(),
});

/**
 * The provider access token the fleet shares (lib/providers/token-cache.ts): one row per provider, the token
 * AES-GCM sealed, renewed by whichever instance holds the provider's advisory lock. `scope` names the
 * credentials the token was obtained with, so a token of replaced credentials is never handed out.
 */
export const providerTokens = pgTable("provider_tokens", {
  provider: text("provider").primaryKey(),
  scope: text("scope").notNull(),
  token: bytea("token").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  /** when a new token is fetched (before expires_at); the epoch once the provider refused this token */
  renewAt: timestamp("renew_at", { withTimezone: true, mode: "date" }).notNull(),
  updatedAt: updatedAt(),
});

/**
 * Provider webhooks we have processed, keyed by the provider's event id: a redelivered event is answered
 * 2xx without work. A row is written only once the event's update is stored (a failed attempt leaves none,
 * so the provider's retry does the work).
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    eventId: text("event_id").primaryKey(),
    provider: text("provider").notNull(),
    /** e.g. customer.updated */
    type: text("type").notNull(),
    /** the provider's id of the entity the event is about (OffBlocks customer id) */
    entityId: text("entity_id").notNull(),
    /** applied | unchanged | stale | ignored */
    outcome: text("outcome").notNull(),
    onboardingId: uuid("onboarding_id").references(() => onboardings.id, { onDelete: "set null" }),
    processedAt: timestamp("processed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("webhook_deliveries_processed_idx").on(t.processedAt)],
);

/**
 * Signed-in sessions, server-side: the cookie carries only this row's id, sealed (lib/session.ts). A session
 * is live while `ended_at` is null and `expires_at` is ahead; logout, a staff member ending it, or the
 * wallet's removal from the staff table set `ended_at`, and every instance sees it at the next request.
 * Ended and expired rows are kept a day for the staff pages, then swept.
 */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** EIP-55 address of the signed-in wallet */
    address: text("address").notNull(),
    chainId: integer("chain_id").notNull(),
    signedInAt: timestamp("signed_in_at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    /** the browser's User-Agent at sign-in (at most 200 characters), to tell sessions apart */
    userAgent: text("user_agent"),
    endedAt: timestamp("ended_at", { withTimezone: true, mode: "date" }),
    /** logout | replaced | staff | staff_removed */
    endReason: text("end_reason"),
    /** the staff address that ended it, when a staff member did */
    endedBy: text("ended_by"),
  },
  (t) => [
    index("auth_sessions_address_idx").on(sql`lower(${t.address})`),
    index("auth_sessions_live_idx")
      .on(t.expiresAt)
      .where(sql`${t.endedAt} is null`),
  ],
);

/**
 * Sign-in nonces (EIP-4361), one per not-yet-signed-in cookie: GET /api/auth/nonce writes one, the sign-in
 * attempt deletes it (`delete … returning`), so of any number of instances receiving the same signed message
 * at once exactly one gets it; a copy of the cookie afterwards finds nothing.
 */
export const signInNonces = pgTable(
  "sign_in_nonces",
  {
    /** the id the cookie carries (sealed) */
    id: uuid("id").primaryKey().defaultRandom(),
    nonce: text("nonce").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sign_in_nonces_expires_idx").on(t.expiresAt)],
);

/**
 * Rate-limit counters shared by every instance on Postgres (rate-limiter-flexible's Drizzle store, an atomic
 * upsert per request): `key` is `<limit name>:<client address or hashed email>`, `points` the requests counted in
 * the window ending at `expire`. With PGlite (one process) the counters are kept in memory instead.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: timestamp("expire", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);
