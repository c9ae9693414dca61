/**
 * The requests the sandbox served, oldest first, in bounded memory: a ring buffer of the newest `capacity`
 * (REQUEST_LOG_CAPACITY), so a long soak cannot grow it without end. `GET /_sandbox/requests` lists it
 * (filtered by provider, method and path) so a test or an operator can count, say, token requests made by
 * a whole fleet of app instances.
 */
import { NewestItems } from "./newest-items";
import { SANDBOX_PROVIDERS, type SandboxProvider } from "./providers";

export const REQUEST_LOG_CAPACITY = 5_000;

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
  /** the how-manyth request served since start, from 1 (a reader polling the log counts each once) */
  seq: number;
}

export interface RequestFilter {
  provider?: SandboxProvider;
  method?: string;
  /** exact path, without the query */
  path?: string;
}

export class RequestLog {
  readonly #items: NewestItems<ServedRequest>;

  constructor(capacity = REQUEST_LOG_CAPACITY) {
    this.#items = new NewestItems(capacity);
  }

  /** how many requests were served since start (also those the ring no longer holds) */
  get served(): number {
    return this.#items.pushed;
  }

  add(request: Omit<ServedRequest, "seq">): void {
    this.#items.push({ ...request, seq: this.#items.pushed + 1 });
  }

  /** the requests still held, oldest first */
  list(filter: RequestFilter = {}): ServedRequest[] {
    const prefix = filter.provider ? SANDBOX_PROVIDERS[filter.provider] : undefined;
    const method = filter.method?.toUpperCase();
    return this.#items
      .list()
      .filter(
        (r) =>
          (!prefix || r.path === prefix || r.path.startsWith(`${prefix}/`)) && (!method || r.method === method) && (!filter.path || r.path === filter.path),
      );
  }
}
