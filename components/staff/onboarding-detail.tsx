"use client";
/**
 * Staff: one onboarding — who, where each provider step stands, and the full event timeline, oldest first;
 * re-read whenever a new event for it arrives on the live feed.
 */
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { StaffOnboardingDetail } from "@/lib/staff/queries";
import { eventSummary, providerName, statusText } from "./labels";
import { LiveIndicator } from "./live-indicator";
import { callApi, when } from "./staff-api";
import { useDebounced, useStaffEvents } from "./use-staff-events";

type Load = { phase: "loading" } | { phase: "missing" } | { phase: "error"; message: string } | { phase: "ready"; detail: StaffOnboardingDetail };

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
  const [load, setLoad] = useState<Load>({ phase: "loading" });

  const read = useCallback(async () => {
    const result = await callApi<StaffOnboardingDetail>(`/api/staff/onboardings/${encodeURIComponent(id)}`);
    if (result.ok && result.body) return setLoad({ phase: "ready", detail: result.body });
    if (result.status === 404) return setLoad({ phase: "missing" });
    setLoad((current) => (current.phase === "ready" ? current : { phase: "error", message: result.error ?? "The onboarding could not be loaded." }));
  }, [id]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void read();
  }, [read]);

  const reread = useDebounced(() => void read(), 300);
  const live = useStaffEvents((event) => {
    if (event.onboardingId === id) reread();
  });

  if (load.phase === "loading") {
    return (
      <p role="status" className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted">
        Loading the onboarding…
      </p>
    );
  }
  if (load.phase === "missing") {
    return (
      <Alert tone="warning" title="No onboarding has this id" testId="detail-missing">
        It may have been mistyped. <Link href="/staff/onboardings" className="font-medium underline">Back to the onboardings</Link>
      </Alert>
    );
  }
  if (load.phase === "error") {
    return (
      <Alert tone="error" title="The onboarding could not be loaded" actions={<Button onClick={() => void read()}>Try again</Button>}>
        {load.message}
      </Alert>
    );
  }
  const { detail } = load;
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
          <Row label="Unblock">
            {statusText(unblock.status)}
            {unblock.account ? ` · ${unblock.account.currency} account open` : ""}
          </Row>
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
