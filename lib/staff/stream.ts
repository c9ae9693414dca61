/**
 * Server-Sent Events of new onboarding events for the staff pages: the events table polled by id every
 * `pollMs` (one indexed query; no LISTEN/NOTIFY, so PGlite and Postgres behave alike). Starts after the
 * newest event, or after `Last-Event-ID` when a client reconnects; a comment line every `heartbeatMs`
 * keeps proxies from closing an idle connection; the stream ends by itself after `maxDurationMs` (the
 * browser's EventSource reconnects with Last-Event-ID, so nothing is lost) or when the client goes away.
 */
import type { Db } from "../db/client";
import { eventsAfter, lastEventId, type StaffEvent } from "./queries";

export interface EventStreamOptions {
  pollMs?: number;
  heartbeatMs?: number;
  maxDurationMs?: number;
  /** resume after this event id (the Last-Event-ID header) */
  afterId?: number;
  signal?: AbortSignal;
}

export function sseEvent(event: StaffEvent): string {
  return `id: ${event.id}\nevent: onboarding_event\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The Last-Event-ID header as an event id, if it is one. */
export function lastEventIdHeader(value: string | null): number | undefined {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
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

      let after = options.afterId ?? (await lastEventId(db));
      send(`retry: 2000\n: connected\n\n`);
      const tick = async () => {
        if (closed) return;
        try {
          for (;;) {
            const events = await eventsAfter(db, after, 100);
            for (const event of events) {
              send(sseEvent(event));
              after = event.id;
            }
            if (events.length < 100 || closed) break;
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
