/**
 * A sliding-window budget: at most `limit` units in any `windowMs`. Time is passed in, so the
 * decision is pure enough to test without waiting.
 */
export class RateLimit {
  readonly #spent: number[] = [];

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** How many units may be spent at `now`. */
  available(now: number): number {
    while (this.#spent.length && this.#spent[0]! <= now - this.windowMs) this.#spent.shift();
    return Math.max(0, this.limit - this.#spent.length);
  }

  /** Spends up to `count` units at `now`; returns how many were granted. */
  take(count: number, now: number): number {
    const granted = Math.min(count, this.available(now));
    for (let i = 0; i < granted; i++) this.#spent.push(now);
    return granted;
  }
}
