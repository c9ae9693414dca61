/**
 * A reader of the staff live stream (/api/staff/stream) for the specs: opened with a staff cookie, read as it
 * comes (optionally resumed with Last-Event-ID, as the browser's EventSource does), its events picked out by
 * onboarding. Shared by e2e/api-staff.spec.ts and e2e/fleet.spec.ts.
 */
import { expect } from "@playwright/test";
import { streamedEvents, type StreamedEvent } from "./stream-events";

export type { StreamedEvent } from "./stream-events";

/** /api/staff/stream read as it comes, optionally resumed with Last-Event-ID, as the browser's EventSource does. */
export async function openStream(baseURL: string, cookie: string, lastEventId?: string) {
  const abort = new AbortController();
  const headers: Record<string, string> = { cookie, ...(lastEventId !== undefined ? { "last-event-id": lastEventId } : {}) };
  const response = await fetch(new URL("/api/staff/stream", baseURL), { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const stream = {
    text: "",
    async until(done: () => boolean, what: string) {
      const deadline = Date.now() + 20_000;
      while (!done()) {
        expect(Date.now(), `waiting for ${what} in ${stream.text}`).toBeLessThan(deadline);
        const { value, done: ended } = await reader.read();
        expect(ended, "the stream ended early").toBe(false);
        stream.text += decoder.decode(value);
      }
    },
    /** the id sent with the connection: where it starts */
    startId: () => /id: (\S+)\n: connected\n\n/.exec(stream.text)?.[1],
    events: (onboardingId: string): StreamedEvent[] => streamedEvents(stream.text).filter((event) => event.onboardingId === onboardingId),
    close: () => abort.abort(),
  };
  await stream.until(() => stream.startId() !== undefined, "connected");
  return stream;
}
