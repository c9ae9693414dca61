/**
 * Server-Sent Events of new onboarding events for the staff pages, polled every `pollMs` (one indexed query;
 * no LISTEN/NOTIFY, so PGlite and Postgres behave alike), exact whatever order transactions commit in.
 *
 * Why reading `id > last` skipped events: ids are taken when a row is inserted, rows appear when their
 * transaction commits, and on Postgres concurrent transactions commit in any order — a poll that saw id 8 and
 * moved its cursor there never looked back for id 7, committed a moment later.
 *
 * What is read instead: each event records its transaction's id (`tx`, xid8, the column's default), and a poll
 * returns only events whose `tx` is below W = pg_snapshot_xmin(pg_current_snapshot()), the oldest
 * transaction still running when the poll's statement began, in (tx, id) order. That is exact because
 * - every transaction below W has ended — committed, so its events are all visible to the poll, or rolled
 *   back, so it has none: nothing below W can appear later;
 * - a transaction that writes later is running now (so its id is ≥ W) or has no id yet (ids are handed out in
 *   increasing order, so it will get one ≥ W): all its events sort after everything the poll returned.
 * So the events delivered are always every event up to the last one in (tx, id) order, and that pair is the
 * whole cursor: the SSE `id:` of each event is `<tx>-<id>`, and a browser's Last-Event-ID resumes exactly
 * after it on any instance. The `data:` JSON is the event itself (its `id` is the event id).
 *
 * PGlite runs one transaction at a time, so there W is always the next id and the order is commit order.
 *
 * A new stream starts at W, leaving out the events its opening snapshot already saw (pg_visible_in_snapshot),
 * and sends that start as an `id:` at once (the browser keeps an id even from a block without data), so a
 * reconnect before any event resumes from it too — without the snapshot, so that first poll may add events
 * committed just before the first connection opened, never one already delivered. An old numeric
 * Last-Event-ID (an event id, from before the cursors) resumes after that event: the events written before the
 * `tx` column existed all have tx '0', in id order (a newer event's, not yet below W, resumes at W: it may
 * repeat, never miss). A Last-Event-ID that is neither, or names a transaction this database has not reached,
 * starts a new stream. The price: one open writing transaction — anywhere in the database cluster — holds the
 * stream back until it ends (it delays, never loses), and `tx` means something only in the cluster that wrote
 * it (after a logical dump restored into another cluster: `update onboarding_events set tx = '0'`).
 *
 * A comment line every `heartbeatMs` keeps proxies from closing an idle connection; the stream ends by itself
 * after `maxDurationMs` (the browser's EventSource reconnects with Last-Event-ID, so nothing is lost) or when
 * the client goes away.
 */
import type { Db } from "../db/client";
import { eventsAfter, streamStart, type StreamCursor, type StreamedEvent, type StreamResume, type StreamStart } from "./queries";

export interface EventStreamOptions {
  pollMs?: number;
  heartbeatMs?: number;
  maxDurationMs?: number;
  /** where a reconnecting client left off (the Last-Event-ID header, lastEventIdHeader) */
  resume?: StreamResume;
  signal?: AbortSignal;
}

const BATCH = 100;
const MAX_XID8 = 2n ** 64n - 1n;

function streamId(cursor: StreamCursor): string {
  return `${cursor.tx}-${cursor.id}`;
}

export function sseEvent({ event, cursor }: StreamedEvent): string {
  return `id: ${streamId(cursor)}\nevent: onboarding_event\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The Last-Event-ID header as where to resume: a stream cursor `<tx>-<id>`, or an event id; else undefined. */
export function lastEventIdHeader(value: string | null): StreamResume | undefined {
  if (!value) return undefined;
  if (/^\d{1,15}$/.test(value)) return { eventId: Number(value) };
  const cursor = /^(\d{1,20})-(\d{1,15})$/.exec(value);
  if (!cursor || BigInt(cursor[1]!) > MAX_XID8) return undefined;
  return { cursor: { tx: BigInt(cursor[1]!).toString(), id: Number(cursor[2]) } };
}

export function staffEventStream(db: Db, options: EventStreamOptions = {}): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxDurationMs = options.maxDurationMs ?? 10 * 60_000;
  const encoder = new TextEncoder();
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: () => void = () => {};

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const started = Date.now();
      let lastBeat = started;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      finish = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener("abort", finish);
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      options.signal?.addEventListener("abort", finish);
      if (options.signal?.aborted) return finish();

      let position: StreamStart;
      try {
        position = await streamStart(db, options.resume);
      } catch {
        return finish(); // the database went away: the client reconnects
      }
      send(`retry: 2000\nid: ${streamId(position.cursor)}\n: connected\n\n`);
      const tick = async () => {
        if (closed) return;
        try {
          for (;;) {
            const batch = await eventsAfter(db, position, BATCH);
            for (const streamed of batch) {
              send(sseEvent(streamed));
              position = { ...position, cursor: streamed.cursor };
            }
            if (batch.length < BATCH || closed) break;
          }
          const now = Date.now();
          if (now - lastBeat >= heartbeatMs) {
            send(`: heartbeat\n\n`);
            lastBeat = now;
          }
          if (now - started >= maxDurationMs) return finish();
        } catch {
          // the database went away: end the stream; the client reconnects
          return finish();
        }
        if (!closed) timer = setTimeout(() => void tick(), pollMs);
      };
      await tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
}
