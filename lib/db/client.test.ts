import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { onboardingEvents, onboardings } from "./schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "./test-databases";
import type { Database } from "./client";

describe.each(testDatabaseKinds())("database on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("applies the migrations and stores an onboarding with its events", async () => {
    const [row] = await database.db
      .insert(onboardings)
      .values({ address: "0x43158f45b5EbD7b1179130130DF00393928C2691", chainId: 300 })
      .returning();
    expect(row?.status).toBe("pending");
    await database.db.insert(onboardingEvents).values({ onboardingId: row!.id, type: "status_change", data: { to: "pending" } });
    const events = await database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, row!.id));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({ to: "pending" });
  });

  it("keeps one onboarding per address whatever its case", async () => {
    await expect(
      database.db.insert(onboardings).values({ address: "0x43158F45B5EBD7B1179130130DF00393928C2691", chainId: 300 }),
    ).rejects.toThrow();
  });
});
