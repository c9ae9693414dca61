"use client";
/**
 * The staff pages' own react-query client (the wallet layer has its own, behind next/dynamic, which the
 * staff pages never load): no retries and no re-read on window focus — the live stream says when to re-read.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

export function StaffQueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
