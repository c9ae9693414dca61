/**
 * `npm run soak [-- --onboardings 300 --concurrency 16 --instances 2]`: the fault soak of e2e/soak.ts on a
 * fleet it starts itself (a fresh Postgres database on TEST_DATABASE_URL's server, the sandbox, app
 * instances and nginx, as e2e/fleet.spec.ts does). Prints the counts and exits 1 when anything did not hold.
 * The bounded run in `npm test` is e2e/fleet-soak.spec.ts.
 */
import { parseArgs } from "node:util";
import { fleetPrerequisiteMissing, startFleet } from "../e2e/fleet-harness";
import { RATE_LIMITS_OUT_OF_REACH } from "../lib/api/rate-limits";
import { runSoak } from "../e2e/soak";
import { buildIfNeeded } from "./start/build";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { onboardings: { type: "string", default: "300" }, concurrency: { type: "string", default: "16" }, instances: { type: "string", default: "2" } },
  });
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/test";
  const missing = fleetPrerequisiteMissing();
  if (missing) throw new Error(missing);
  buildIfNeeded();
  const onboardings = Number(values.onboardings);
  console.log(`» Starting ${values.instances} instances, nginx and the sandbox on a fresh database…`);
  const fleet = await startFleet(Number(values.instances), { rateLimits: RATE_LIMITS_OUT_OF_REACH, requestLogCapacity: onboardings * 200 });
  try {
    console.log(`» ${onboardings} onboardings, ${values.concurrency} at a time, through ${fleet.url}`);
    const report = await runSoak(fleet, { onboardings, concurrency: Number(values.concurrency), log: (line) => console.log(line) });
    const { problems, appServerErrors, ...counts } = report;
    console.log(
      JSON.stringify(
        {
          ...counts,
          appServerErrors: appServerErrors.length,
          missingFromTimeline: counts.missingFromTimeline.length,
          missingFromStream: counts.missingFromStream.length,
        },
        null,
        2,
      ),
    );
    if (problems.length) {
      for (const problem of problems) console.error(`✗ ${problem}`);
      process.exitCode = 1;
    } else {
      console.log(
        "✓ every onboarding active, no duplicate customer, no 5xx from the app, every event in its timeline and the stream, one token per credential",
      );
    }
  } finally {
    await fleet.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
