"use client";
/**
 * Staff: one onboarding — who, where each provider step stands, and the full event timeline, oldest first;
 * re-read whenever a new event for it arrives on the live feed.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { eventSummary, providerName, statusText, unblockText, when } from "./labels";
import { LiveIndicator } from "./live-indicator";
import { StaffApiError } from "./staff-api";
import { onboardingQuery, staffKeys } from "./staff-queries";
import { useDebounced, useStaffEvents } from "./use-staff-events";

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-2">
      <dt className="font-medium text-slate-700 sm:w-44 sm:shrink-0">{label}</dt>
      <dd className="break-all text-ink" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function OnboardingDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const { data: detail, error, isPending, refetch } = useQuery(onboardingQuery(id));
  const reread = useDebounced(() => void queryClient.invalidateQueries({ queryKey: staffKeys.onboarding(id) }), 300);
  const live = useStaffEvents((event) => {
    if (event.onboardingId === id) reread();
  });

  if (isPending) {
    return (
      <p role="status" className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted">
        Loading the onboarding…
      </p>
    );
  }
  if (!detail && error instanceof StaffApiError && error.status === 404) {
    return (
      <Alert tone="warning" title="No onboarding has this id" testId="detail-missing">
        It may have been mistyped.{" "}
        <Link href="/staff/onboardings" className="font-medium underline">
          Back to the onboardings
        </Link>
      </Alert>
    );
  }
  if (!detail) {
    return (
      <Alert tone="error" title="The onboarding could not be loaded" actions={<Button onClick={() => void refetch()}>Try again</Button>}>
        {error?.message}
      </Alert>
    );
  }
  const { offblocks, unblock, bloq } = detail.steps;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Onboarding</h1>
          <p className="mt-1 break-all font-mono text-sm text-ink-muted">{detail.id}</p>
        </div>
        <LiveIndicator status={live} />
      </div>
      <section aria-labelledby="detail-summary" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="detail-summary" className="mb-3 text-lg font-semibold">
          Summary
        </h2>
        <dl className="flex flex-col gap-2 text-sm">
          <Row label="Wallet">
            <span className="font-mono">{detail.address}</span> (chain {detail.chainId})
          </Row>
          <Row label="Email">{detail.email ?? "—"}</Row>
          <Row label="Status" testId="detail-status">
            {statusText(detail.status)}
          </Row>
          <Row label="Started">{when(detail.createdAt)}</Row>
          <Row label="Last change">{when(detail.updatedAt)}</Row>
          <Row label="OffBlocks" testId="detail-offblocks">
            {statusText(offblocks.status)}
            {offblocks.customerId ? ` · customer ${offblocks.customerId}` : ""}
          </Row>
          <Row label="Unblock">{unblockText(unblock)}</Row>
          <Row label="Bloq">{statusText(bloq.status)}</Row>
        </dl>
      </section>
      <section aria-labelledby="detail-timeline" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="detail-timeline" className="mb-3 text-lg font-semibold">
          Timeline ({detail.events.length} event{detail.events.length === 1 ? "" : "s"})
        </h2>
        <ol className="flex flex-col gap-0 border-l-2 border-slate-200" data-testid="timeline">
          {detail.events.map((event) => (
            <li key={event.id} className="relative py-2 pl-4 text-sm" data-testid="timeline-event" data-type={event.type}>
              <span
                aria-hidden="true"
                className={`absolute top-3.5 -left-[5px] size-2 rounded-full ${event.type === "error" ? "bg-red-600" : event.type === "status_change" ? "bg-brand" : "bg-slate-400"}`}
              />
              <time dateTime={event.at} className="mr-3 whitespace-nowrap text-ink-muted">
                {when(event.at)}
              </time>
              <span className="mr-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-ink">
                {event.provider ? providerName(event.provider) : "app"} · {statusText(event.type)}
              </span>
              <span className={event.type === "error" ? "text-red-800" : "text-ink"}>{eventSummary(event)}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
