/**
 * The overview's two charts, drawn with plain elements (no chart library in the bundle): the funnel as
 * horizontal bars, each step's share of those who started; and onboardings started / OffBlocks-verified per
 * UTC day as paired columns. Each carries its numbers as text (the funnel) or as a table under the chart.
 */
import type { StaffMetrics, StaffMetricsDay as DailyPoint } from "@/lib/staff/metrics";

const FUNNEL_STEPS: { key: keyof StaffMetrics["funnel"]; label: string }[] = [
  { key: "started", label: "Started" },
  { key: "signedIn", label: "Signed in at OffBlocks" },
  { key: "offblocksVerified", label: "OffBlocks verified" },
  { key: "active", label: "OffBlocks active" },
  { key: "unblockSession", label: "Unblock session" },
  { key: "bloqLinked", label: "Bloq linked" },
];

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((part / whole) * 100)} %`;
}

export function FunnelChart({ funnel }: { funnel: StaffMetrics["funnel"] }) {
  const started = funnel.started;
  return (
    <section aria-labelledby="funnel-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="funnel-heading" className="mb-3 text-lg font-semibold">
        Funnel
      </h2>
      <ol className="flex flex-col gap-2" data-testid="funnel">
        {FUNNEL_STEPS.map((step) => {
          const count = funnel[step.key];
          const width = started === 0 ? 0 : Math.max(count > 0 ? 1 : 0, (count / started) * 100);
          return (
            <li key={step.key} className="text-sm" data-testid={`funnel-${step.key}`}>
              <div className="flex justify-between gap-2">
                <span className="font-medium">{step.label}</span>
                <span className="tabular-nums text-ink-muted">
                  <span className="font-semibold text-ink">{count}</span> · {percent(count, started)}
                </span>
              </div>
              <div aria-hidden="true" className="mt-1 h-3 rounded bg-slate-100">
                <div className="h-3 rounded bg-brand" style={{ width: `${width}%` }} />
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Every UTC day from the first to the last point, days without onboardings as zeros. */
export function fillDays(series: readonly DailyPoint[]): DailyPoint[] {
  if (series.length === 0) return [];
  const byDay = new Map(series.map((point) => [point.day, point]));
  const days: DailyPoint[] = [];
  const last = new Date(`${series[series.length - 1]!.day}T00:00:00Z`);
  for (let day = new Date(`${series[0]!.day}T00:00:00Z`); day <= last && days.length < 400; day.setUTCDate(day.getUTCDate() + 1)) {
    const key = day.toISOString().slice(0, 10);
    days.push(byDay.get(key) ?? { day: key, started: 0, offblocksVerified: 0 });
  }
  return days;
}

export function DailyChart({ series }: { series: readonly DailyPoint[] }) {
  const days = fillDays(series);
  const max = Math.max(1, ...days.map((d) => d.started));
  const width = 600;
  const height = 180;
  // a few days are drawn as narrow columns from the left, not stretched over the whole width
  const slot = Math.min(40, days.length > 0 ? width / days.length : width);
  const bar = Math.max(1, slot * 0.4);
  return (
    <section aria-labelledby="daily-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="daily-heading" className="mb-1 text-lg font-semibold">
        Started and verified per day
      </h2>
      <p className="mb-3 flex gap-4 text-sm text-ink-muted">
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block size-3 rounded-sm bg-slate-400" /> Started
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block size-3 rounded-sm bg-brand" /> OffBlocks verified
        </span>
        <span>UTC days · peak {max}</span>
      </p>
      {days.length === 0 ? (
        <p className="text-ink-muted">No onboarding in this period.</p>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          className="h-44 w-full"
          role="img"
          aria-label={`Onboardings started and verified per day, ${days[0]!.day} to ${days[days.length - 1]!.day}; the table below has the numbers.`}
          preserveAspectRatio="none"
          data-testid="daily-chart"
        >
          {days.map((d, i) => {
            const x = i * slot + (slot - 2 * bar) / 2;
            const hs = (d.started / max) * (height - 4);
            const hv = (d.offblocksVerified / max) * (height - 4);
            return (
              <g key={d.day}>
                <rect x={x} y={height - hs} width={bar} height={hs} className="fill-slate-400" />
                <rect x={x + bar} y={height - hv} width={bar} height={hv} className="fill-brand" />
              </g>
            );
          })}
        </svg>
      )}
      {days.length > 0 ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-medium text-brand">Show the numbers</summary>
          <table className="mt-2 w-full text-left">
            <thead>
              <tr>
                <th scope="col" className="py-1 font-semibold">
                  Day (UTC)
                </th>
                <th scope="col" className="py-1 font-semibold">
                  Started
                </th>
                <th scope="col" className="py-1 font-semibold">
                  OffBlocks verified
                </th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {[...days].reverse().map((d) => (
                <tr key={d.day} className="border-t border-slate-100">
                  <td className="py-1">{d.day}</td>
                  <td className="py-1">{d.started}</td>
                  <td className="py-1">{d.offblocksVerified}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
