/**
 * The fault soak, bounded (the long one is `npm run soak`, 300 onboardings): onboardings through nginx to two
 * instances on one Postgres while OffBlocks fails 10 % of its customer calls and loses 5 % of its answers, one
 * instance is killed with SIGKILL and started again, and the OffBlocks credentials are rotated — then every
 * onboarding is active, no wallet has two OffBlocks customers, the app answered no 5xx but a provider outage,
 * every event is in its timeline and in the staff stream, and one token was requested per credential.
 * Needs TEST_DATABASE_URL and nginx, as the fleet spec does.
 */
import { expect, test } from "@playwright/test";
import { fleetPrerequisiteMissing, startFleet, type Fleet } from "./fleet-harness";
import { RATE_LIMITS_OUT_OF_REACH } from "../lib/api/rate-limits";
import { runSoak } from "./soak";

const ONBOARDINGS = Number(process.env.SOAK_ONBOARDINGS ?? 45);

let fleet: Fleet | undefined;

test.afterAll(async () => {
  await fleet?.stop();
});

test(`${ONBOARDINGS} onboardings on two instances through 503s, lost answers, a SIGKILL and a credential rotation lose nothing`, async () => {
  test.setTimeout(600_000);
  const missing = fleetPrerequisiteMissing();
  if (missing) throw new Error(missing);
  fleet = await startFleet(2, { rateLimits: RATE_LIMITS_OUT_OF_REACH, requestLogCapacity: ONBOARDINGS * 200 });
  const report = await runSoak(fleet, { onboardings: ONBOARDINGS, concurrency: 8 });
  const { problems, ...counts } = report;
  test.info().annotations.push({
    type: "soak",
    description: JSON.stringify({ ...counts, missingFromStream: counts.missingFromStream.length, missingFromTimeline: counts.missingFromTimeline.length }),
  });
  expect(problems).toEqual([]);
  expect(report.statuses).toEqual({ active: ONBOARDINGS });
  // the faults and the kill did happen
  expect(report.injectedFaults).toBeGreaterThan(0);
  expect(report.kill?.restartSeconds).toBeGreaterThan(0);
  expect(report.credentials).toBe(2);
  expect(report.events).toBeGreaterThan(ONBOARDINGS * 3);
});
