"use client";
/**
 * Staff: the onboardings — filters (search, status, provider, dates, stuck) kept in the address so a view
 * can be shared or reloaded, the table newest first with "Load more" (keyset cursor), the CSV of the same
 * filters, and live updates: any new event re-reads the first page and merges it in, marking new rows.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { OnboardingPage, StaffOnboarding } from "@/lib/staff/queries";
import { shortAddress } from "@/lib/wallet/settings";
import { statusText, unblockText, when } from "./labels";
import { LiveIndicator } from "./live-indicator";
import { useLiveOnboardings } from "./onboardings-live";
import { onboardingsQuery } from "./staff-queries";

const FILTER_KEYS = ["q", "status", "provider", "from", "to", "stuck"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** The loaded pages' rows, each once (a row may move between pages while the list is open). */
function uniqueRows(pages: readonly OnboardingPage[]): StaffOnboarding[] {
  const seen = new Set<string>();
  return pages.flatMap((page) => page.items.filter((item) => !seen.has(item.id) && seen.add(item.id)));
}

/** The API's query for these filters: the dates of the form (YYYY-MM-DD) are whole UTC days, `to` included. */
function apiQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (!value) continue;
    if (key === "to" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const next = new Date(`${value}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      params.set("to", next.toISOString());
    } else params.set(key, value);
  }
  return params.toString();
}

export function OnboardingsList() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = filtersOf(new URLSearchParams(searchParams.toString()));
  const query = apiQuery(filters);

  // the list follows the filters in the address
  const list = useInfiniteQuery(onboardingsQuery(query));
  const { live, fresh, announcement } = useLiveOnboardings(query);
  const items = uniqueRows(list.data?.pages ?? []);
  const nextCursor = list.data?.pages.at(-1)?.nextCursor ?? null;
  const moreError = list.isFetchNextPageError && !list.isFetchingNextPage ? list.error.message : null;

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = key === "stuck" ? (form.get("stuck") ? "true" : "") : String(form.get(key) ?? "").trim();
      if (value) params.set(key, value);
    }
    // a new entry in the history: Back and Forward move between filter states
    router.push(params.size > 0 ? `${pathname}?${params.toString()}` : pathname, { scroll: false });
  }

  const filtered = Object.keys(filters).length > 0;
  return (
    <div className="flex flex-col gap-4">
      <form
        key={searchParams.toString()}
        onSubmit={applyFilters}
        role="search"
        aria-label="Filter onboardings"
        className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6"
      >
        <label className="flex flex-col gap-1 text-sm font-medium lg:col-span-2">
          Search
          <input
            name="q"
            type="search"
            defaultValue={filters.q ?? ""}
            placeholder="Address, OffBlocks customer id or email"
            className="rounded-lg border border-slate-300 px-3 py-2 font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Status
          <select name="status" defaultValue={filters.status ?? ""} className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal">
            <option value="">Any</option>
            <option value="pending">Pending</option>
            <option value="verified">Verified</option>
            <option value="failed">Failed</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Provider step started
          <select name="provider" defaultValue={filters.provider ?? ""} className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal">
            <option value="">Any</option>
            <option value="offblocks">OffBlocks</option>
            <option value="unblock">Unblock</option>
            <option value="bloq">Bloq</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          From (UTC day)
          <input name="from" type="date" defaultValue={filters.from ?? ""} className="rounded-lg border border-slate-300 px-3 py-2 font-normal" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          To (UTC day, included)
          <input name="to" type="date" defaultValue={filters.to ?? ""} className="rounded-lg border border-slate-300 px-3 py-2 font-normal" />
        </label>
        <div className="flex flex-wrap items-center gap-4 sm:col-span-2 lg:col-span-6">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input name="stuck" type="checkbox" defaultChecked={filters.stuck === "true"} className="size-4" />
            Only stuck (challenge waiting over 1 h)
          </label>
          <Button type="submit">Apply</Button>
          {filtered ? (
            <Button variant="secondary" onClick={() => router.push(pathname, { scroll: false })}>
              Clear filters
            </Button>
          ) : null}
          <a href={`/api/staff/onboardings.csv?${query}`} className="font-medium text-brand underline underline-offset-2" download>
            Export CSV
          </a>
        </div>
      </form>

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-ink-muted" data-testid="list-count">
          {list.data ? `${items.length}${nextCursor ? "+" : ""} onboarding${items.length === 1 ? "" : "s"}${filtered ? " match these filters" : ""}` : " "}
        </p>
        <LiveIndicator status={live} />
      </div>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>

      {list.isPending ? (
        <p role="status" className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted">
          Loading onboardings…
        </p>
      ) : null}
      {list.isError && !list.data ? (
        <Alert tone="error" title="The onboardings could not be loaded" actions={<Button onClick={() => void list.refetch()}>Try again</Button>}>
          {list.error.message}
        </Alert>
      ) : null}
      {list.data && items.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-ink-muted" data-testid="list-empty">
          {filtered ? "No onboarding matches these filters." : "No onboarding yet. They appear here as users start, live."}
        </p>
      ) : null}
      {list.data && items.length > 0 ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          {/* fixed column widths: a row that changes live does not move the columns */}
          <table className="w-full min-w-[66rem] table-fixed text-left text-sm" data-testid="onboardings-table">
            <caption className="sr-only">Onboardings, newest first</caption>
            <colgroup>
              <col className="w-44" />
              <col className="w-48" />
              <col />
              <col className="w-24" />
              <col className="w-36" />
              <col className="w-44" />
              <col className="w-28" />
            </colgroup>
            <thead className="bg-slate-50 text-ink-muted">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Started
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Wallet
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Email
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  OffBlocks
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Unblock
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Bloq
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr
                  key={item.id}
                  className={`border-t border-slate-100 ${fresh.has(item.id) ? "bg-emerald-50" : ""}`}
                  data-testid="onboarding-row"
                  data-id={item.id}
                >
                  <td className="px-3 py-2 whitespace-nowrap">{when(item.createdAt)}</td>
                  <td className="px-3 py-2">
                    <Link
                      href={`/staff/onboardings/${item.id}`}
                      className="whitespace-nowrap font-mono font-medium text-brand underline underline-offset-2"
                      title={item.address}
                    >
                      {shortAddress(item.address)}
                    </Link>
                    {fresh.has(item.id) ? <span className="ml-2 rounded bg-emerald-700 px-1.5 py-0.5 text-xs font-semibold text-white">New</span> : null}
                  </td>
                  <td className="px-3 py-2 break-all">{item.email ?? "—"}</td>
                  <td className="px-3 py-2" data-testid="row-status">
                    {statusText(item.status)}
                  </td>
                  <td className="px-3 py-2" data-testid="row-offblocks">
                    {statusText(item.steps.offblocks.status)}
                  </td>
                  <td className="px-3 py-2">{unblockText(item.steps.unblock)}</td>
                  <td className="px-3 py-2">{statusText(item.steps.bloq.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {moreError ? (
        <Alert tone="error" title="The next page could not be loaded">
          {moreError}
        </Alert>
      ) : null}
      {list.data && nextCursor ? (
        <div>
          <Button variant="secondary" busy={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
  );
}
