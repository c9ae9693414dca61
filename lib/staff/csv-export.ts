/** The filtered staff list as a streamed CSV (one header line, then one line per onboarding, newest first). */
import type { Db } from "../db/client";
import { csvRow } from "./csv";
import type { ListFilters } from "./filters";
import { allOnboardings, type StaffOnboarding } from "./queries";

export const CSV_COLUMNS = [
  "id",
  "address",
  "chain_id",
  "status",
  "email",
  "offblocks_status",
  "offblocks_customer_id",
  "unblock_status",
  "bloq_status",
  "created_at",
  "updated_at",
] as const;

export function csvLine(o: StaffOnboarding): string {
  return csvRow([
    o.id,
    o.address,
    o.chainId,
    o.status,
    o.email,
    o.steps.offblocks.status,
    o.steps.offblocks.customerId,
    o.steps.unblock.status,
    o.steps.bloq.status,
    o.createdAt,
    o.updatedAt,
  ]);
}

/**
 * The first row is read before the stream is returned: a query that fails does so while the route can still
 * answer with a JSON error, not after a 200 has been sent (which would end in a dropped connection).
 */
export async function onboardingsCsv(db: Db, filters: ListFilters, pageSize = 500): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const rows = allOnboardings(db, filters, pageSize);
  const first = await rows.next();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(CSV_COLUMNS) + (first.done ? "" : csvLine(first.value))));
      if (first.done) controller.close();
    },
    async pull(controller) {
      const lines: string[] = [];
      while (lines.length < 100) {
        const next = await rows.next();
        if (next.done) break;
        lines.push(csvLine(next.value));
      }
      if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
      if (lines.length < 100) controller.close();
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}
