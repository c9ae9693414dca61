import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { onboardingEvents, onboardings } from "./schema";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { createTestPostgresDatabase, openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "./test-databases";
import { MIGRATIONS_DIR, openDatabase, type Database, type DatabaseTarget } from "./client";

const MIGRATION_COUNT = (JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

describe.each(testDatabaseKinds())("database on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("applies the migrations and stores an onboarding with its events", async () => {
    const [row] = await database.db.insert(onboardings).values({ address: "0x43158f45b5EbD7b1179130130DF00393928C2691", chainId: 300 }).returning();
    expect(row?.status).toBe("pending");
    await database.db.insert(onboardingEvents).values({ onboardingId: row!.id, type: "status_change", data: { to: "pending" } });
    const events = await database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, row!.id));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({ to: "pending" });
  });

  it("keeps one onboarding per address whatever its case", async () => {
    await expect(database.db.insert(onboardings).values({ address: "0x43158F45B5EBD7B1179130130DF00393928C2691", chainId: 300 })).rejects.toThrow();
  });
});

describe.each(testDatabaseKinds())("an empty database on %s opened by three instances at once", (kind: TestDatabaseKind) => {
  it("opens on every instance, each migration applied once", async () => {
    // Postgres: one empty database shared by the three (a fleet's first start); PGlite is one process's own
    const created = kind === "postgres" ? await createTestPostgresDatabase() : undefined;
    const target: DatabaseTarget = created ? { postgresUrl: created.url } : { memory: true };
    const opened = await Promise.allSettled([0, 1, 2].map(() => openDatabase(target)));
    try {
      expect(opened.map((result) => (result.status === "rejected" ? String(result.reason) : "opened"))).toEqual(["opened", "opened", "opened"]);
      for (const result of opened) {
        if (result.status !== "fulfilled") continue;
        const { rows } = (await result.value.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)) as unknown as {
          rows: { n: number }[];
        };
        expect(rows[0]?.n).toBe(MIGRATION_COUNT);
      }
    } finally {
      await Promise.all(opened.map((result) => (result.status === "fulfilled" ? result.value.close() : undefined)));
      await created?.drop();
    }
  });
});
