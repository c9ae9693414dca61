/**
 * The staff live stream's wire format (/api/staff/stream, server-sent events) read back: each
 * `id: <tx>-<event id>\nevent: onboarding_event\ndata: {json}\n\n` block as an event. Shared by the specs'
 * stream reader (./staff-stream-reader.ts) and the soak's (./soak.ts); no Playwright here, so a plain script can use it.
 */
export interface StreamedEvent {
  /** the SSE id, `<tx>-<event id>` */
  sseId: string;
  id: number;
  onboardingId: string | null;
  type: string;
}

/** The events in `text`, in order; a block not yet complete (no blank line after it) is left out. */
export function streamedEvents(text: string): StreamedEvent[] {
  return [...text.matchAll(/id: (\d+-\d+)\nevent: onboarding_event\ndata: ([^\n]*)\n\n/g)].map((m) => ({
    sseId: m[1]!,
    ...(JSON.parse(m[2]!) as Omit<StreamedEvent, "sseId">),
  }));
}
