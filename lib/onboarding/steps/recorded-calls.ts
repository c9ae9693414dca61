/**
 * The one way a provider step calls its provider: every call is a `provider_call` event whatever its outcome
 * (`{operation, outcome: "ok"|"error", …facts, code?}`, never a secret), and an unexpected failure (not an
 * AppError) is logged. Also the step's `error` events (a refusal of ours before the provider saw anything).
 */
import type { Logger } from "pino";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { recordEvent, type EventProvider } from "../events";

type Facts = Record<string, unknown>;

export interface CallFacts<T> {
  /** recorded whatever the outcome (ids the call was about) */
  about?: Facts;
  /** recorded from a successful answer (the ids and status it gave) */
  of?: (result: T) => Facts | undefined;
}

export interface RecordedCalls<Operation extends string> {
  /** Runs the provider call and records it, whatever its outcome; rethrows its failure. */
  call<T>(onboardingId: string, operation: Operation, run: () => Promise<T>, facts?: CallFacts<T>): Promise<T>;
  /** Records a call made elsewhere (a follow-up whose repeated failure is recorded once). */
  record(onboardingId: string, operation: Operation, outcome: { error?: unknown; facts?: Facts }): Promise<void>;
  /** An `error` event: `{code, message, operation?, reason?}`. */
  error(onboardingId: string, data: { code: string; message: string; operation?: Operation; reason?: string }): Promise<void>;
}

export interface RecordedCallsOptions {
  db: Db;
  provider: EventProvider;
  /** the provider as log lines name it, e.g. "OffBlocks" */
  name: string;
  now: () => Date;
  logger: Logger;
}

export function recordedCalls<Operation extends string>(options: RecordedCallsOptions): RecordedCalls<Operation> {
  const { db, provider, now } = options;

  const record: RecordedCalls<Operation>["record"] = async (onboardingId, operation, outcome) => {
    const data: Facts = { operation, outcome: outcome.error === undefined ? "ok" : "error" };
    for (const [name, value] of Object.entries(outcome.facts ?? {})) if (value !== undefined) data[name] = value;
    if (outcome.error !== undefined) data.code = outcome.error instanceof AppError ? outcome.error.code : "internal_error";
    await recordEvent(db, { onboardingId, type: "provider_call", provider, data, at: now() });
  };

  return {
    record,
    async call(onboardingId, operation, run, facts = {}) {
      let result;
      try {
        result = await run();
      } catch (error) {
        await record(onboardingId, operation, { error, facts: facts.about });
        if (!(error instanceof AppError)) options.logger.error({ err: error, onboardingId, operation }, `unexpected ${options.name} failure`);
        throw error;
      }
      await record(onboardingId, operation, { facts: { ...facts.about, ...facts.of?.(result) } });
      return result;
    },
    async error(onboardingId, data) {
      await recordEvent(db, { onboardingId, type: "error", provider, data, at: now() });
    },
  };
}
