/**
 * Staff and sessions on the database (PGlite and Postgres): the live-session list marks staff (configured or
 * in the table) and the asking session; ending one or all of a wallet's is a `staff_action` event; removing
 * a wallet from the staff table ends its sessions.
 */
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, liveSession } from "../auth/sessions";
import type { Database } from "../db/client";
import { onboardingEvents } from "../db/schema";
import { openTestDatabase, testDatabaseKinds } from "../db/test-databases";
import { addStaff, removeStaff } from "./members";
import { endSessions, listSessions, parseSessionsQuery } from "./sessions";

const wallet = () => privateKeyToAccount(generatePrivateKey()).address;

describe.each(testDatabaseKinds())("staff and sessions (%s)", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  it("lists live sessions with staff and the asking session marked", async () => {
    const { db } = database;
    const configured = wallet();
    const tableStaff = wallet();
    const user = wallet();
    await addStaff(db, tableStaff);
    const now = new Date();
    const asking = await createSession(db, { address: configured, chainId: 300, userAgent: "A" }, now);
    await createSession(db, { address: tableStaff, chainId: 300 }, now);
    await createSession(db, { address: user, chainId: 324, userAgent: "x".repeat(500) }, now);

    const { items } = await listSessions(db, { currentSessionId: asking.id, configuredStaff: [configured] });
    const byAddress = new Map(items.map((item) => [item.address, item]));
    expect(byAddress.get(configured)).toMatchObject({ isStaff: true, current: true, userAgent: "A" });
    expect(byAddress.get(tableStaff)).toMatchObject({ isStaff: true, current: false });
    expect(byAddress.get(user)).toMatchObject({ isStaff: false, chainId: 324 });
    expect(byAddress.get(user)!.userAgent).toHaveLength(200);
    expect((await listSessions(db, { address: user, configuredStaff: [] })).items.map((item) => item.address)).toEqual([user]);
  });

  it("ends one session or all of a wallet's, each a staff_action event; an ended id is 404", async () => {
    const { db } = database;
    const staffMember = wallet();
    const user = wallet();
    const first = await createSession(db, { address: user, chainId: 300 }, new Date());
    const second = await createSession(db, { address: user, chainId: 300 }, new Date());

    expect(await endSessions(db, staffMember, { sessionId: first.id })).toEqual({ ended: 1 });
    expect(await liveSession(db, first.id, new Date())).toBeUndefined();
    expect(await liveSession(db, second.id, new Date())).toBeDefined();
    await expect(endSessions(db, staffMember, { sessionId: first.id })).rejects.toMatchObject({ code: "session_not_found", status: 404 });

    expect(await endSessions(db, staffMember, { address: user.toLowerCase() })).toEqual({ ended: 1 });
    expect(await liveSession(db, second.id, new Date())).toBeUndefined();

    const events = await db.select().from(onboardingEvents).where(eq(onboardingEvents.type, "staff_action"));
    const mine = events.filter((event) => (event.data as { staff?: string }).staff === staffMember).map((event) => event.data);
    expect(mine).toEqual([
      { action: "session_end", staff: staffMember, sessionId: first.id },
      { action: "sessions_end_all", staff: staffMember, address: user, ended: 1 },
    ]);
  });

  it("removing a wallet from the staff table ends its sessions", async () => {
    const { db } = database;
    const member = wallet();
    await addStaff(db, member);
    const session = await createSession(db, { address: member, chainId: 300 }, new Date());
    expect(await removeStaff(db, member)).toBe(true);
    expect(await liveSession(db, session.id, new Date())).toBeUndefined();
    expect(await removeStaff(db, member)).toBe(false);
  });

  it("refuses an address filter that is not an address", () => {
    expect(() => parseSessionsQuery(new URLSearchParams("address=0x12"))).toThrow(expect.objectContaining({ code: "invalid_address", status: 400 }));
    expect(parseSessionsQuery(new URLSearchParams(""))).toEqual({});
  });
});
