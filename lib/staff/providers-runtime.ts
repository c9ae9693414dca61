/** The process's provider clients, job queue counts and configuration, for the /api/staff/providers and simulator routes. */
import { config } from "../config";
import { jobQueueStats } from "../jobs";
import { bloq } from "../providers/bloq";
import { offblocks } from "../providers/offblocks";
import { unblock } from "../providers/unblock";
import type { ProviderClients } from "./providers";

export async function processProviderClients(): Promise<ProviderClients> {
  return {
    offblocks: await offblocks(),
    unblockHealth: () => unblock().health(),
    bloqHealth: async () => (await bloq()).health(),
    jobStats: jobQueueStats,
  };
}

export { config as providersConfig };
