/** Words for the staff pages: provider names, statuses, dates and a one-line summary of each timeline event. */
import type { StaffProvider } from "@/lib/staff/filters";
import type { UnblockStepView } from "@/lib/onboarding/types";
import type { StaffEvent } from "@/lib/staff/queries";

export const PROVIDER_NAMES: Record<StaffProvider, string> = { offblocks: "OffBlocks", unblock: "Unblock", bloq: "Bloq" };

/** "OffBlocks" for `offblocks`; an unknown name as it is. */
export function providerName(provider: string): string {
  return (PROVIDER_NAMES as Record<string, string>)[provider] ?? provider;
}

/** `challenge_issued` → `challenge issued` */
export function statusText(status: string | null | undefined): string {
  return status ? status.replace(/_/g, " ") : "—";
}

/** The Unblock step as the list and the detail both name it: the account once open, with the session's state. */
export function unblockText(step: Pick<UnblockStepView, "status" | "account">): string {
  return step.account ? `${step.account.currency} account open (${statusText(step.status)})` : statusText(step.status);
}

/** A date and time in the reader's locale; "—" for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function text(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** What happened, in a line (the provider is shown beside it): "challenge issued → verified (signature accepted)". */
export function eventSummary(event: StaffEvent): string {
  const data = event.data;
  switch (event.type) {
    case "status_change": {
      const from = text(data.from);
      const cause = text(data.cause);
      return `${from ? `${statusText(from)} → ` : "started, "}${statusText(text(data.to))}${cause ? ` (${statusText(cause)})` : ""}`;
    }
    case "provider_call": {
      const detail = [text(data.customerStatus) ? `customer ${statusText(text(data.customerStatus))}` : undefined, text(data.code)].filter(Boolean).join(", ");
      return `${statusText(text(data.operation) ?? "call")} — ${text(data.outcome) ?? "done"}${detail ? ` (${detail})` : ""}`;
    }
    case "error":
      return `${text(data.message) ?? "error"}${text(data.code) ? ` [${text(data.code)}]` : ""}`;
    case "staff_action":
      return `${statusText(text(data.action))} by ${text(data.staff) ?? "staff"}`;
    default:
      return statusText(event.type);
  }
}
