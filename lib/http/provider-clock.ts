/**
 * A provider's clock as its answers' `Date` headers show it. Messages a provider checks against its own
 * clock (an EIP-4361 Issued At / Expiration Time) are stamped with this time, so a skewed clock on either
 * side — or the sandbox's movable clock — does not make a fresh message look expired or issued in the future.
 */
export class ProviderClock {
  #offsetMs = 0;

  /** offsets within this are the Date header's 1 s resolution and network time, not skew */
  constructor(private readonly toleranceMs = 2000) {}

  observe(dateHeader: string | null, receivedAtMs = Date.now()): void {
    if (!dateHeader) return;
    const providerMs = Date.parse(dateHeader);
    if (Number.isNaN(providerMs)) return;
    const offset = providerMs - receivedAtMs;
    this.#offsetMs = Math.abs(offset) > this.toleranceMs ? offset : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  /** a fetch that observes every answer's Date header */
  wrap(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await base(input, init);
      this.observe(response.headers.get("date"));
      return response;
    };
  }
}
