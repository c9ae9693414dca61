/** The one error every call of the browser to the app's API throws: the HTTP status and the server's code. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the server's error code (`siwe_invalid`, `challenge_expired`, …) or `network` / `bad_response` */
    readonly code: string,
    message: string,
    /** the error body's other fields (e.g. a fresh challenge) */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function badResponse(what: string): ApiError {
  return new ApiError(0, "bad_response", `The server sent an unexpected answer (${what}). Please try again.`);
}

/** The provider behind a call is down or not answering: its own `<provider>_unavailable`, or a 502 / 503 / 504. */
export function providerDown(error: unknown, unavailableCode: string): boolean {
  return error instanceof ApiError && (error.code === unavailableCode || error.status === 502 || error.status === 503 || error.status === 504);
}
