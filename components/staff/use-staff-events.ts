"use client";
/**
 * The staff pages' live feed: an EventSource on /api/staff/stream (Server-Sent Events of new onboarding
 * events). The browser reconnects by itself with Last-Event-ID, so nothing is missed; `status` tells the
 * page whether it is live, for the indicator.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { StaffEvent } from "@/lib/staff/queries";

export type LiveStatus = "connecting" | "live" | "reconnecting";

export function useStaffEvents(onEvent: (event: StaffEvent) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });

  useEffect(() => {
    const source = new EventSource("/api/staff/stream");
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus("reconnecting");
    source.addEventListener("onboarding_event", (message) => {
      try {
        latest.current(JSON.parse((message as MessageEvent<string>).data) as StaffEvent);
      } catch {
        // not an event we understand: ignore it
      }
    });
    return () => source.close();
  }, []);

  return status;
}

/** Calls `run` once, `delayMs` after the last of a burst of calls. */
export function useDebounced(run: () => void, delayMs: number): () => void {
  const latest = useRef(run);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), delayMs);
  }, [delayMs]);
}
