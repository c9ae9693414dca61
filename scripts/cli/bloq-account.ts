/**
 * What the `bloq client-keys …` commands share: the merchant's Bloq account from the configuration
 * (BLOQ_ACCOUNTS_URL, BLOQ_EMAIL, BLOQ_PASSWORD), and Bloq's refusals as one line with exit 1.
 */
import { config } from "../../lib/config";
import { AppError } from "../../lib/errors";
import { createLogger } from "../../lib/log";
import { createBloqAccountsClient, type BloqAccounts } from "../../lib/providers/bloq";
import { EXIT, type CliIo } from "./command";

export function bloqAccount(): BloqAccounts {
  return createBloqAccountsClient({ config: config(), logger: createLogger({ level: "silent" }) });
}

/** Runs `work`; a Bloq refusal or outage is one `error: …` line and exit 1 (the input was fine). */
export async function withBloq(name: string, io: CliIo, work: (accounts: BloqAccounts) => Promise<number>): Promise<number> {
  try {
    return await work(bloqAccount());
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.stderr(`error: ${name}: ${error.message} (${error.code})`);
    return EXIT.negative;
  }
}
