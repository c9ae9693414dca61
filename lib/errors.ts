/**
 * The one error type of the app: a snake_case code, the HTTP status it maps to, and a message that is
 * safe to show (never a secret). `lib/http/error-response.ts` turns it into the JSON body of API.md.
 */
const APP_ERROR = Symbol.for("wallet-onboarding.AppError");

export class AppError extends Error {
  /**
   * `instanceof AppError` holds for an AppError of any copy of this module: Next.js loads it once per module
   * graph (route handlers, server components, instrumentation), and the process-wide clients
   * (lib/process-shared) throw the copy of the graph that built them.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [APP_ERROR]?: boolean })[APP_ERROR] === true;
  }

  readonly [APP_ERROR] = true;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** The error body both of our servers answer with: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, ...details } };
}
