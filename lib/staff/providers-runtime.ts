/** The process's provider clients and configuration, for the /api/staff/providers and simulator routes. */
import { config } from "../config";
import { bloq } from "../providers/bloq";
import { offblocks } from "../providers/offblocks";
import { unblock } from "../providers/unblock";
import type { ProviderClients } from "./providers";

export async function processProviderClients(): Promise<ProviderClients> {
  return {
    offblocks: await offblocks(),
    unblockHealth: () => unblock().health(),
    bloqHealth: async () => (await bloq()).health(),
  };
}

export { config as providersConfig };
