/**
 * The staff pages' one way to call /api/staff/*: `staffFetch` answers the parsed JSON body, or throws a
 * `StaffApiError` carrying the HTTP status (0 when the app could not be reached) and a sentence to show (the
 * server's message, or why the app could not be reached). Every staff query and action goes through it.
 */
export class StaffApiError extends Error {
  constructor(
    /** HTTP status; 0 when the app could not be reached */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "StaffApiError";
  }
}

export interface StaffRequest {
  /** GET when left out */
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

export async function staffFetch<T>(path: string, init?: StaffRequest): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
      signal: init?.signal,
    });
  } catch {
    throw new StaffApiError(0, "The app could not be reached. Check your connection and try again.");
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok && json !== null) return json as T;
  const message =
    json && typeof json === "object" && "error" in json && json.error && typeof json.error === "object" && "message" in json.error
      ? String(json.error.message)
      : `The server answered ${response.status}.`;
  throw new StaffApiError(response.status, message);
}
