/**
 * The types every provider step (./offblocks.ts, ./unblock.ts, ./bloq.ts) shares: the stored rows and the
 * onboarding as loaded with its steps. Their own file, so the steps and ../service.ts import them without
 * importing each other.
 */
import { getTableColumns } from "drizzle-orm";
import { onboardings, onboardingSteps } from "../../db/schema";

/** The OffBlocks step's `provider` in `onboarding_steps` (here, so its parts in ./offblocks*.ts share it). */
export const OFFBLOCKS = "offblocks" as const;

export type OnboardingRow = typeof onboardings.$inferSelect;
export type StepRow = typeof onboardingSteps.$inferSelect;

/** The rows' columns, for a statement that returns them from a CTE (../../db/returned-columns.ts). */
export const ONBOARDING_COLUMNS = getTableColumns(onboardings);
export const STEP_COLUMNS = getTableColumns(onboardingSteps);

/** How an onboarding is looked up: by its wallet, its id, or the OffBlocks customer its step follows. */
export type OnboardingKey = { address: string } | { onboardingId: string } | { offblocksCustomerId: string };

export interface State {
  onboarding: OnboardingRow;
  /** the OffBlocks step */
  step: StepRow | undefined;
  /** the Unblock step */
  unblock?: StepRow | undefined;
  /** the Bloq step */
  bloq?: StepRow | undefined;
}
