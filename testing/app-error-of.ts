/** For tests: the AppError a promise rejects with; fails the test when it resolves or rejects with anything else. */
import { AppError } from "../lib/errors";

export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a failure");
}
