import type { LiveStatus } from "./use-staff-events";

/** Whether the page is receiving live updates. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const label = status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Reconnecting…";
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full bg-slate-100 px-3 py-1 text-sm font-medium text-ink"
      data-testid="live-status"
      data-status={status}
    >
      <span aria-hidden="true" className={`inline-block size-2 rounded-full ${status === "live" ? "bg-emerald-600" : "bg-amber-500"}`} />
      {label}
    </span>
  );
}
