"use client";
/**
 * Staff overview: the funnel as a bar chart, started and OffBlocks-verified per day, the headline numbers
 * (status counts, time to verified, stuck) and the stuck onboardings to act on — for a chosen period, and
 * re-read when the live feed says something happened.
 */
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { shortAddress } from "@/lib/wallet/settings";
import { DailyChart, FunnelChart } from "./charts";
import { when } from "./labels";
import { LiveIndicator } from "./live-indicator";
import { metricsQuery, OVERVIEW_PERIODS, staffKeys, stuckQuery, type PeriodId } from "./staff-queries";
import { useDebounced, useStaffEvents } from "./use-staff-events";

function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-ink-muted">{label}</dt>
      <dd className="mt-1 text-2xl font-bold text-ink" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function StaffOverview() {
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState<PeriodId>("30d");
  const metrics = useQuery(metricsQuery(period));
  // the stuck list of the last period stays up while the new period's is read
  const stuck = useQuery({ ...stuckQuery(period), placeholderData: keepPreviousData });
  const reread = () => void queryClient.invalidateQueries({ queryKey: staffKeys.overview });
  const live = useStaffEvents(useDebounced(reread, 1000));

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Overview</h1>
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm font-medium">
            Period
            <select
              value={period}
              onChange={(event) => setPeriod(event.target.value as PeriodId)}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
            >
              {OVERVIEW_PERIODS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <LiveIndicator status={live} />
        </div>
      </div>

      {metrics.isPending ? (
        <p role="status" className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted">
          Loading the numbers…
        </p>
      ) : null}
      {metrics.isError && !metrics.data ? (
        <Alert tone="error" title="The numbers could not be loaded" actions={<Button onClick={reread}>Try again</Button>}>
          {metrics.error.message}
        </Alert>
      ) : null}
      {metrics.data ? (
        <>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label="Started" value={String(metrics.data.funnel.started)} testId="stat-started" />
            <Stat
              label="Verified / pending / failed"
              value={`${metrics.data.byStatus.verified} / ${metrics.data.byStatus.pending} / ${metrics.data.byStatus.failed}`}
            />
            <Stat
              label="Start → OffBlocks verified (median / p90)"
              value={`${duration(metrics.data.timeToOffblocksVerified.median)} / ${duration(metrics.data.timeToOffblocksVerified.p90)}`}
            />
            <Stat label="Stuck over 1 h" value={String(metrics.data.stuck)} testId="stat-stuck" />
          </dl>
          <div className="grid gap-6 lg:grid-cols-2">
            <FunnelChart funnel={metrics.data.funnel} />
            <DailyChart series={metrics.data.series} />
          </div>
        </>
      ) : null}

      <section aria-labelledby="stuck-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="stuck-heading" className="text-lg font-semibold">
            Stuck: OffBlocks challenge waiting over an hour
          </h2>
          <Link href="/staff/onboardings?stuck=true" className="text-sm font-medium text-brand underline underline-offset-2">
            See all stuck onboardings
          </Link>
        </div>
        {stuck.isPending ? (
          <p role="status" className="text-ink-muted">
            Loading…
          </p>
        ) : null}
        {stuck.isError && !stuck.data ? <p className="text-red-800">{stuck.error.message}</p> : null}
        {stuck.data && stuck.data.length === 0 ? <p className="text-ink-muted">Nobody is stuck in this period.</p> : null}
        {stuck.data && stuck.data.length > 0 ? (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="stuck-list">
            {stuck.data.map((item) => (
              <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <Link href={`/staff/onboardings/${item.id}`} className="font-mono font-medium text-brand underline underline-offset-2" title={item.address}>
                  {shortAddress(item.address)}
                </Link>
                <span className="text-ink-muted">
                  started {when(item.createdAt)}
                  {item.email ? ` · ${item.email}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
