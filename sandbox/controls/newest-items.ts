/**
 * The newest `capacity` items of a list that would otherwise grow for as long as the sandbox runs (its request
 * log, webhook deliveries, the Unblock mailbox): a ring buffer, oldest first when read, so a long soak keeps the
 * sandbox's memory bounded.
 */
export class NewestItems<T> {
  readonly #capacity: number;
  #ring: T[] = [];
  #next = 0;
  #pushed = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new Error("a capacity of at least 1");
    this.#capacity = capacity;
  }

  /** how many items were ever pushed (also those no longer held) */
  get pushed(): number {
    return this.#pushed;
  }

  push(item: T): void {
    this.#pushed++;
    if (this.#ring.length < this.#capacity) this.#ring.push(item);
    else this.#ring[this.#next] = item;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** the items still held, oldest first */
  list(): T[] {
    return this.#ring.length < this.#capacity ? [...this.#ring] : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }

  clear(): void {
    this.#ring = [];
    this.#next = 0;
  }
}
