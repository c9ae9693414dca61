/**
 * The sandbox clock: real time plus an offset moved by `POST /_sandbox/clock`. Everything a provider
 * expires (tokens, challenges, idempotency memory, sessions) reads this clock; an RFC 9421 signature's
 * `created` is checked against real time instead, as a real verifier would.
 */
export class SandboxClock {
  #offsetMs = 0;

  /** Sandbox time in milliseconds since the epoch. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }

  advance(seconds: number): void {
    this.#offsetMs += Math.round(seconds * 1000);
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}
