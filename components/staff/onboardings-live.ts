"use client";
/**
 * The onboardings list, live: after a burst of stream events the first page is re-read and merged into the
 * loaded pages of the list's query — changed rows updated in place, new ones on top (marked fresh and
 * announced); a row further down (or one that no longer matches the filters) that an event touched is
 * re-read alone, so it is never left stale.
 */
import { useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { OnboardingPage, StaffOnboarding } from "@/lib/staff/queries";
import { staffFetch } from "./staff-api";
import { onboardingQuery, onboardingsPath, onboardingsQuery } from "./staff-queries";
import { useDebounced, useStaffEvents, type LiveStatus } from "./use-staff-events";

type Pages = InfiniteData<OnboardingPage>;

/** The loaded pages with `incoming` rows in place of the ones they update, and `added` on top of the first page. */
function merge(data: Pages, added: StaffOnboarding[], incoming: ReadonlyMap<string, StaffOnboarding>): Pages {
  const pages = data.pages.map((page, index) => ({
    ...page,
    items: [...(index === 0 ? added : []), ...page.items.map((item) => incoming.get(item.id) ?? item)],
  }));
  return { ...data, pages };
}

export interface LiveOnboardings {
  live: LiveStatus;
  /** ids of the rows that arrived live since the list was loaded */
  fresh: ReadonlySet<string>;
  /** what the last live update added, for screen readers */
  announcement: string;
}

/** Keeps the list's query (`query`: the API's filters) up to date from the live stream. */
export function useLiveOnboardings(query: string): LiveOnboardings {
  const queryClient = useQueryClient();
  const [fresh, setFresh] = useState<{ query: string; ids: ReadonlySet<string> }>({ query, ids: new Set() });
  const [announcement, setAnnouncement] = useState("");
  const touched = useRef(new Set<string>());

  const refresh = useDebounced(async () => {
    const key = onboardingsQuery(query).queryKey;
    const ids = [...touched.current];
    touched.current.clear();
    if (!queryClient.getQueryData(key)) return;
    let first: OnboardingPage;
    try {
      first = await staffFetch<OnboardingPage>(onboardingsPath(query));
    } catch {
      return;
    }
    const incoming = new Map(first.items.map((item) => [item.id, item]));
    const loaded = new Set(queryClient.getQueryData(key)?.pages.flatMap((page) => page.items.map((item) => item.id)));
    for (const id of ids) {
      if (incoming.has(id) || !loaded.has(id)) continue;
      const single = await queryClient.fetchQuery(onboardingQuery(id)).catch(() => null);
      if (single) {
        const { id: rowId, address, chainId, status, createdAt, updatedAt, steps, email } = single;
        incoming.set(rowId, { id: rowId, address, chainId, status, createdAt, updatedAt, steps, email });
      }
    }
    const current = queryClient.getQueryData(key);
    if (!current) return;
    const known = new Set(current.pages.flatMap((page) => page.items.map((item) => item.id)));
    const added = first.items.filter((item) => !known.has(item.id));
    queryClient.setQueryData(key, merge(current, added, incoming));
    if (added.length > 0) {
      setFresh((previous) => ({ query, ids: new Set([...(previous.query === query ? previous.ids : []), ...added.map((item) => item.id)]) }));
      setAnnouncement(`${added.length} new onboarding${added.length === 1 ? "" : "s"} at the top of the list.`);
    }
  }, 400);

  const live = useStaffEvents((event) => {
    if (event.onboardingId) touched.current.add(event.onboardingId);
    refresh();
  });
  return { live, fresh: fresh.query === query ? fresh.ids : new Set(), announcement };
}
