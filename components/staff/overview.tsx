"use client";
/**
 * Staff overview: the funnel as a bar chart, started and OffBlocks-verified per day, the headline numbers
 * (status counts, time to verified, stuck) and the stuck onboardings to act on — for a chosen period, and
 * re-read when the live feed says something happened.
 */
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { StaffMetrics } from "@/lib/staff/metrics";
import type { OnboardingPage, StaffOnboarding } from "@/lib/staff/queries";
import { shortAddress } from "@/lib/wallet/settings";
import { DailyChart, FunnelChart } from "./charts";
import { LiveIndicator } from "./live-indicator";
import { callApi, when } from "./staff-api";
import { useDebounced, useStaffEvents } from "./use-staff-events";

const PERIODS = [
  { id: "1d", label: "24 hours", days: 1 },
  { id: "7d", label: "7 days", days: 7 },
  { id: "30d", label: "30 days", days: 30 },
  { id: "90d", label: "90 days", days: 90 },
  { id: "all", label: "All time", days: null },
] as const;
type PeriodId = (typeof PERIODS)[number]["id"];

type Load<T> = { phase: "loading" } | { phase: "error"; message: string } | { phase: "ready"; value: T };

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
  const [period, setPeriod] = useState<PeriodId>("30d");
  const [metrics, setMetrics] = useState<Load<StaffMetrics>>({ phase: "loading" });
  const [stuck, setStuck] = useState<Load<StaffOnboarding[]>>({ phase: "loading" });

  const read = useCallback(async () => {
    const days = PERIODS.find((p) => p.id === period)?.days ?? null;
    const from = days === null ? null : new Date(Date.now() - days * 86_400_000).toISOString();
    const range = from ? `from=${encodeURIComponent(from)}` : "";
    const [m, s] = await Promise.all([
      callApi<StaffMetrics>(`/api/staff/metrics?${range}`),
      callApi<OnboardingPage>(`/api/staff/onboardings?stuck=true&limit=10&${range}`),
    ]);
    setMetrics((current) => (m.ok && m.body ? { phase: "ready", value: m.body } : current.phase === "ready" ? current : { phase: "error", message: m.error ?? "The numbers could not be loaded." }));
    setStuck((current) => (s.ok && s.body ? { phase: "ready", value: s.body.items } : current.phase === "ready" ? current : { phase: "error", message: s.error ?? "The stuck onboardings could not be loaded." }));
  }, [period]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void read();
  }, [read]);

  const reread = useDebounced(() => void read(), 1000);
  const live = useStaffEvents(() => reread());

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Overview</h1>
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm font-medium">
            Period
            <select
              value={period}
              onChange={(event) => {
                setPeriod(event.target.value as PeriodId);
                setMetrics({ phase: "loading" });
              }}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
            >
              {PERIODS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <LiveIndicator status={live} />
        </div>
      </div>

      {metrics.phase === "loading" ? (
        <p role="status" className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted">
          Loading the numbers…
        </p>
      ) : null}
      {metrics.phase === "error" ? (
        <Alert tone="error" title="The numbers could not be loaded" actions={<Button onClick={() => void read()}>Try again</Button>}>
          {metrics.message}
        </Alert>
      ) : null}
      {metrics.phase === "ready" ? (
        <>
          <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label="Started" value={String(metrics.value.funnel.started)} testId="stat-started" />
            <Stat label="Verified / pending / failed" value={`${metrics.value.byStatus.verified} / ${metrics.value.byStatus.pending} / ${metrics.value.byStatus.failed}`} />
            <Stat
              label="Start → OffBlocks verified (median / p90)"
              value={`${duration(metrics.value.timeToOffblocksVerified.median)} / ${duration(metrics.value.timeToOffblocksVerified.p90)}`}
            />
            <Stat label="Stuck over 1 h" value={String(metrics.value.stuck)} testId="stat-stuck" />
          </dl>
          <div className="grid gap-6 lg:grid-cols-2">
            <FunnelChart funnel={metrics.value.funnel} />
            <DailyChart series={metrics.value.series} />
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
        {stuck.phase === "loading" ? <p role="status" className="text-ink-muted">Loading…</p> : null}
        {stuck.phase === "error" ? <p className="text-red-800">{stuck.message}</p> : null}
        {stuck.phase === "ready" && stuck.value.length === 0 ? <p className="text-ink-muted">Nobody is stuck in this period.</p> : null}
        {stuck.phase === "ready" && stuck.value.length > 0 ? (
          <ul className="flex flex-col divide-y divide-slate-100" data-testid="stuck-list">
            {stuck.value.map((item) => (
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
