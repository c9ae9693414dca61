/**
 * The staff event stream on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set): it sends
 * what is written after it opens and nothing from before, resumes exactly from Last-Event-ID (its own
 * cursors, an old event id, and ids it never issued), and delivers every event exactly once under 16
 * concurrent writers with a reconnect in the middle. On Postgres only — PGlite runs one transaction at a time
 * — transactions are made to commit out of id order on purpose: a later id committed first is held back until
 * the earlier transaction ends, then both arrive in order, on the open stream and on resumed ones.
 */
import { randomBytes } from "node:crypto";
import { eq, gte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../db/client";
import { onboardingEvents, onboardings } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import type { StaffEvent } from "./queries";
import { lastEventIdHeader, staffEventStream, type EventStreamOptions } from "./stream";

interface Received {
  /** the SSE `id:` */
  sseId: string;
  event: StaffEvent;
}

/** Reads a stream as it comes: the text so far, its complete `onboarding_event` blocks, the last SSE id. */
class StreamReader {
  text = "";
  private readonly abort = new AbortController();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(db: Db, options: Omit<EventStreamOptions, "signal"> = {}) {
    this.reader = staffEventStream(db, { pollMs: 10, ...options, signal: this.abort.signal }).getReader();
  }

  /** Reads until `done(this)` holds; fails after 30 s. */
  async until(done: (reader: StreamReader) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!done(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${this.text.slice(-500)}`);
      const { value, done: ended } = await this.reader.read();
      if (ended) throw new Error(`the stream ended while waiting for ${what}`);
      this.text += this.decoder.decode(value, { stream: true });
    }
  }

  /** Reads to the end. */
  async toEnd(): Promise<void> {
    for (;;) {
      const { value, done } = await this.reader.read();
      if (done) return;
      this.text += this.decoder.decode(value, { stream: true });
    }
  }

  private blocks(): string[][] {
    return this.text
      .split("\n\n")
      .slice(0, -1)
      .map((block) => block.split("\n"));
  }

  received(): Received[] {
    return this.blocks()
      .filter((lines) => lines.includes("event: onboarding_event"))
      .map((lines) => ({
        sseId: lines.find((line) => line.startsWith("id: "))!.slice(4),
        event: JSON.parse(lines.find((line) => line.startsWith("data: "))!.slice(6)) as StaffEvent,
      }));
  }

  /** The events of one onboarding (each test writes its own: other tests' events may precede a resumed cursor). */
  of(onboardingId: string): Received[] {
    return this.received().filter((r) => r.event.onboardingId === onboardingId);
  }

  /** The id a browser would send back as Last-Event-ID now. */
  lastId(): string {
    const ids = this.blocks().flatMap((lines) => lines.filter((line) => line.startsWith("id: ")).map((line) => line.slice(4)));
    return ids[ids.length - 1]!;
  }

  heartbeats(): number {
    return this.text.split(": heartbeat\n\n").length - 1;
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.toEnd();
  }
}

const ids = (received: Received[]) => received.map((r) => r.event.id);

interface Written {
  id: number;
  tx: string;
}

describe.each(testDatabaseKinds())("the staff event stream on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  let db: Db;
  let markers: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
    markers = await newOnboarding();
  });
  afterAll(async () => {
    await database?.close();
  });

  const newOnboarding = async (): Promise<string> => {
    const [row] = await db
      .insert(onboardings)
      .values({ address: `0x${randomBytes(20).toString("hex")}`, chainId: 300 })
      .returning();
    return row!.id;
  };
  const write = async (db: Db, onboardingId: string, data: Record<string, unknown>): Promise<Written> => {
    const [row] = await db.insert(onboardingEvents).values({ onboardingId, type: "error", data }).returning();
    return { id: row!.id, tx: row!.tx };
  };
  /**
   * A stream resumed from `lastEventId`, read until an event written after it opened arrives: everything
   * committed before that event is then in (its transaction got its id later). Waiting for it, not for one
   * poll, because on a shared Postgres server another database's open transaction can hold a poll back.
   */
  const resumed = async (lastEventId: string): Promise<StreamReader> => {
    const stream = new StreamReader(db, { resume: lastEventIdHeader(lastEventId)! });
    await stream.until((s) => /: connected\n\n/.test(s.text), "connected");
    const marker = await write(db, markers, { marker: true });
    await stream.until((s) => s.received().some((r) => r.event.id === marker.id), "an event written after it opened");
    await stream.close();
    return stream;
  };

  it("sends what is written after it opens, nothing from before, each with `<tx>-<event id>` as its id", async () => {
    const mine = await newOnboarding();
    await write(db, mine, { code: "before" });
    const stream = new StreamReader(db, { heartbeatMs: 0 });
    await stream.until((s) => /: connected\n\n/.test(s.text), "connected");
    expect(stream.lastId()).toMatch(/^\d+-0$/); // where it starts, for a reconnect before any event
    const probe = await write(db, mine, { code: "probe" });
    await stream.until((s) => s.received().length > 0, "the probe");
    const beats = stream.heartbeats();
    await stream.until((s) => s.heartbeats() >= beats + 2, "two more polls");
    expect(stream.received()).toEqual([
      {
        sseId: `${probe.tx}-${probe.id}`,
        event: { id: probe.id, onboardingId: mine, type: "error", provider: null, data: { code: "probe" }, at: expect.any(String) as string },
      },
    ]);
    await stream.close();
  });

  it("resumes exactly after Last-Event-ID — a cursor or an old event id — and starts afresh on an id it never issued", async () => {
    const mine = await newOnboarding();
    // events from before the tx column existed read as transaction '0'; an old stream's id is an event id
    const old = [await write(db, mine, { n: 1 }), await write(db, mine, { n: 2 }), await write(db, mine, { n: 3 })];
    await db.execute(
      sql`update onboarding_events set tx = '0' where id in (${sql.join(
        old.map((e) => sql`${e.id}`),
        sql`, `,
      )})`,
    );
    const start = new StreamReader(db);
    await start.until((s) => /: connected\n\n/.test(s.text), "connected");
    const opened = start.lastId();
    await start.close();
    const together = await db.transaction(async (tx) => [await write(tx, mine, { n: 4 }), await write(tx, mine, { n: 5 }), await write(tx, mine, { n: 6 })]);
    const alone = [await write(db, mine, { n: 7 }), await write(db, mine, { n: 8 })];
    const all = [...together, ...alone].map((e) => e.id);

    const cursor = (e: Written) => `${e.tx}-${e.id}`;
    // from where a stream opened: everything of this onboarding since (other tests' events may come too)
    expect(ids((await resumed(opened)).of(mine))).toEqual(all);
    // after an event: exactly the events after it, across and within a transaction
    expect(ids((await resumed(cursor(together[0]!))).of(mine))).toEqual(all.slice(1));
    expect(ids((await resumed(cursor(together[2]!))).of(mine))).toEqual(all.slice(3));
    expect(ids((await resumed(cursor(alone[1]!))).of(mine))).toEqual([]);
    // an old numeric id: after that event
    expect(ids((await resumed(String(old[0]!.id))).of(mine))).toEqual([old[1]!.id, old[2]!.id, ...all]);

    // a transaction id the database has not reached (forged, or another cluster's): a new stream, not a silent one
    const forged = new StreamReader(db, { resume: lastEventIdHeader(`18446744073709551615-${all[0]}`)! });
    await forged.until((s) => /: connected\n\n/.test(s.text), "connected");
    const next = await write(db, mine, { n: 9 });
    await forged.until((s) => s.received().length > 0, "the next event");
    expect(ids(forged.received())).toEqual([next.id]);
    await forged.close();

    for (const bad of ["", "abc", "1-2-3", "-1", "1.5", "1-", "99999999999999999999-1", "1-9999999999999999", "18446744073709551616-1"]) {
      expect(lastEventIdHeader(bad), bad).toBeUndefined();
    }
    expect(lastEventIdHeader(null)).toBeUndefined();
    expect(lastEventIdHeader("18446744073709551615-7")).toEqual({ cursor: { tx: "18446744073709551615", id: 7 } });
    expect(lastEventIdHeader("0042-7")).toEqual({ cursor: { tx: "42", id: 7 } });
    expect(lastEventIdHeader("42")).toEqual({ eventId: 42 });
  });

  it("delivers every event exactly once under 16 concurrent writers, across a reconnect", async () => {
    const mine = await newOnboarding();
    const writers = 16;
    const transactionsEach = 40;
    const first = new StreamReader(db);
    await first.until((s) => /: connected\n\n/.test(s.text), "connected");
    const written: number[] = [];
    let rolledBack = 0;
    const writer = async (w: number) => {
      for (let t = 0; t < transactionsEach; t++) {
        const size = 1 + ((w + t) % 7); // 1–7 events per transaction
        const rollback = t % 13 === 5;
        try {
          await db.transaction(async (tx) => {
            const batch: number[] = [];
            for (let i = 0; i < size; i++) {
              batch.push((await write(tx, mine, { w, t, i })).id);
              // hold the transaction open a moment, so others commit around it
              if ((w * 31 + t * 7 + i) % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1 + ((w + i) % 4)));
            }
            if (rollback) throw new Error("rolled back on purpose");
            written.push(...batch);
          });
        } catch (error) {
          if (!rollback) throw error;
          rolledBack += size;
        }
      }
    };
    const writing = Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));

    // a reconnect in the middle of the storm: the browser sends the last id it saw
    await first.until((s) => s.received().length >= 800, "800 events on the first connection");
    await first.close();
    const second = new StreamReader(db, { heartbeatMs: 0, resume: lastEventIdHeader(first.lastId())! });
    await writing;
    const expected = written.length;
    await second.until((s) => first.received().length + s.received().length >= expected, `${expected} events in all`);
    const beats = second.heartbeats();
    await second.until((s) => s.heartbeats() >= beats + 2, "two more polls"); // nothing comes twice after the last
    await second.close();

    const delivered = [...ids(first.received()), ...ids(second.received())];
    expect(delivered.length).toBe(expected);
    expect(new Set(delivered).size).toBe(expected);
    expect([...delivered].sort((a, b) => a - b)).toEqual([...written].sort((a, b) => a - b));
    expect(rolledBack).toBeGreaterThan(0);
    expect(expected).toBeGreaterThan(2000);
    // each connection's ids only go forward
    for (const stream of [first, second]) {
      const cursors = stream.received().map((r) => r.sseId.split("-").map(BigInt) as [bigint, bigint]);
      for (let i = 1; i < cursors.length; i++) {
        const [a, b] = [cursors[i - 1]!, cursors[i]!];
        expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
      }
    }
  });

  if (kind === "postgres") {
    it("holds back a later id committed first until the earlier transaction ends, then delivers both, in order, once", async () => {
      const mine = await newOnboarding();
      const open = new StreamReader(db, { heartbeatMs: 0 });
      await open.until((s) => /: connected\n\n/.test(s.text), "connected");
      const opened = open.lastId();

      // tx A writes an event and stays open; B writes a later id and commits; R writes and rolls back
      let commitA!: () => void;
      let aWritten!: (event: Written) => void;
      const aEvent = new Promise<Written>((resolve) => (aWritten = resolve));
      const txA = db.transaction(async (tx) => {
        aWritten(await write(tx, mine, { tx: "A" }));
        await new Promise<void>((resolve) => (commitA = resolve));
      });
      const a = await aEvent;
      const b = await write(db, mine, { tx: "B" });
      await db
        .transaction(async (tx) => {
          await write(tx, mine, { tx: "R" });
          throw new Error("rolled back on purpose");
        })
        .catch(() => {});
      expect(b.id).toBeGreaterThan(a.id);
      expect(BigInt(b.tx)).toBeGreaterThan(BigInt(a.tx));
      // what `id > last` saw at this moment: B without A — the skip this stream must not make
      const visible = await db.select({ id: onboardingEvents.id }).from(onboardingEvents).where(gte(onboardingEvents.id, a.id));
      expect(visible.map((r) => r.id)).toEqual([b.id]);

      // the open stream, one resumed from where it opened and one from B's old-style event id, during the gap:
      // all hold B back, poll after poll
      const fromOpened = new StreamReader(db, { heartbeatMs: 0, resume: lastEventIdHeader(opened)! });
      const fromOldId = new StreamReader(db, { heartbeatMs: 0, resume: lastEventIdHeader(String(b.id))! });
      const beats = open.heartbeats();
      await open.until((s) => s.heartbeats() >= beats + 3, "three polls after B committed");
      await fromOpened.until((s) => s.heartbeats() >= 3, "three polls of a resumed stream");
      await fromOldId.until((s) => s.heartbeats() >= 3, "three polls of a stream resumed from an event id");
      expect(open.received()).toEqual([]);
      expect(fromOpened.of(mine)).toEqual([]);
      expect(fromOldId.of(mine)).toEqual([]);

      commitA();
      await txA;
      const both = [`${a.tx}-${a.id}`, `${b.tx}-${b.id}`];
      for (const [stream, received] of [
        [open, () => open.received()],
        [fromOpened, () => fromOpened.of(mine)],
        // B's transaction was not below the oldest running one (A): resumed from there, B comes again — a repeat, not a loss
        [fromOldId, () => fromOldId.of(mine)],
      ] as const) {
        await stream.until(() => received().length >= 2, "A and B");
        const more = stream.heartbeats();
        await stream.until((s) => s.heartbeats() >= more + 2, "two more polls");
        expect(received().map((r) => r.sseId)).toEqual(both);
        await stream.close();
      }
      // resumed after A, it gets B alone; after B, nothing
      expect(ids((await resumed(both[0]!)).of(mine))).toEqual([b.id]);
      expect(ids((await resumed(both[1]!)).of(mine))).toEqual([]);
      const rolledBack = await db
        .select()
        .from(onboardingEvents)
        .where(eq(sql`${onboardingEvents.data}->>'tx'`, "R"));
      expect(rolledBack).toEqual([]);
    });
  }
});
