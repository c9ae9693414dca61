/**
 * Every staff read as a react-query definition (its key and how it is fetched through staffFetch), so the
 * pages, the live stream's handlers and the actions name the same cache entries.
 */
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { ProvidersStatus } from "@/lib/staff/providers";
import type { StaffMetrics } from "@/lib/staff/metrics";
import type { OnboardingPage, StaffOnboardingDetail } from "@/lib/staff/queries";
import type { StaffSession } from "@/lib/staff/sessions";
import { staffFetch } from "./staff-api";

export const OVERVIEW_PERIODS = [
  { id: "1d", label: "24 hours", days: 1 },
  { id: "7d", label: "7 days", days: 7 },
  { id: "30d", label: "30 days", days: 30 },
  { id: "90d", label: "90 days", days: 90 },
  { id: "all", label: "All time", days: null },
] as const;
export type PeriodId = (typeof OVERVIEW_PERIODS)[number]["id"];

/** `from=…` for a period, measured back from now (at each read); "" for all time. */
function periodRange(period: PeriodId): string {
  const days = OVERVIEW_PERIODS.find((p) => p.id === period)?.days ?? null;
  return days === null ? "" : `from=${encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString())}`;
}

export const staffKeys = {
  overview: ["staff", "overview"] as const,
  onboardings: (query: string) => ["staff", "onboardings", query] as const,
  onboarding: (id: string) => ["staff", "onboarding", id] as const,
  providers: ["staff", "providers"] as const,
  sessions: ["staff", "sessions"] as const,
};

export const metricsQuery = (period: PeriodId) =>
  queryOptions({
    queryKey: [...staffKeys.overview, "metrics", period],
    queryFn: ({ signal }) => staffFetch<StaffMetrics>(`/api/staff/metrics?${periodRange(period)}`, { signal }),
  });

export const stuckQuery = (period: PeriodId) =>
  queryOptions({
    queryKey: [...staffKeys.overview, "stuck", period],
    queryFn: async ({ signal }) => (await staffFetch<OnboardingPage>(`/api/staff/onboardings?stuck=true&limit=10&${periodRange(period)}`, { signal })).items,
  });

/** A page of the onboardings for an API query (filters): the first, or the one after `cursor`. */
export const onboardingsPath = (query: string, cursor?: string) =>
  `/api/staff/onboardings?${query}${cursor ? `${query ? "&" : ""}cursor=${encodeURIComponent(cursor)}` : ""}`;

/** The list, page by page (keyset cursor), for an API query (filters). */
export const onboardingsQuery = (query: string) =>
  infiniteQueryOptions({
    queryKey: staffKeys.onboardings(query),
    queryFn: ({ pageParam, signal }) => staffFetch<OnboardingPage>(onboardingsPath(query, pageParam ?? undefined), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const onboardingQuery = (id: string) =>
  queryOptions({
    queryKey: staffKeys.onboarding(id),
    queryFn: ({ signal }) => staffFetch<StaffOnboardingDetail>(`/api/staff/onboardings/${encodeURIComponent(id)}`, { signal }),
  });

export const providersQuery = () =>
  queryOptions({ queryKey: staffKeys.providers, queryFn: ({ signal }) => staffFetch<ProvidersStatus>("/api/staff/providers", { signal }) });

export const sessionsQuery = (address: string) =>
  queryOptions({
    queryKey: [...staffKeys.sessions, address],
    queryFn: async ({ signal }) =>
      (await staffFetch<{ items: StaffSession[] }>(`/api/staff/sessions${address ? `?address=${encodeURIComponent(address)}` : ""}`, { signal })).items,
  });
