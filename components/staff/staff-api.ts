/**
 * The staff pages' calls to /api/staff/*: every answer is `{ok, status, body, error}` — `error` a sentence
 * to show (the server's message, or why the app could not be reached), never a thrown exception.
 */
export interface ApiResult<T> {
  ok: boolean;
  /** HTTP status; 0 when the app could not be reached */
  status: number;
  body: T | null;
  error: string | null;
}

export async function callApi<T>(path: string, init?: { method: string; body?: unknown; signal?: AbortSignal }): Promise<ApiResult<T>> {
  try {
    const response = await fetch(path, {
      method: init?.method ?? "GET",
      headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
      signal: init?.signal,
    });
    const json: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, body: json as T, error: null };
    const message =
      json && typeof json === "object" && "error" in json && json.error && typeof json.error === "object" && "message" in json.error
        ? String(json.error.message)
        : `The server answered ${response.status}.`;
    return { ok: false, status: response.status, body: null, error: message };
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") return { ok: false, status: 0, body: null, error: null };
    return { ok: false, status: 0, body: null, error: "The app could not be reached. Check your connection and try again." };
  }
}

/** A date and time in the reader's locale; "—" for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}
