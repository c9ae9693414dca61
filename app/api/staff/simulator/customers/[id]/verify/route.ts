import { simulatorAction } from "@/lib/staff/simulator-action";

export const dynamic = "force-dynamic";

/** Sandbox only (404 otherwise): the OffBlocks simulator's verify of customer {id}; 200 `{customerId, outcome, onboardingId}`; 401/403. */
export const POST = simulatorAction("verify");
