/** The current time for "3 min ago", ticking once a second while something shows it. */
export class ClockState {
  #now = $state.raw(Date.now());

  /** Epoch ms, updated by `start`. */
  get now(): number {
    return this.#now;
  }

  /** Starts ticking; returns the function that stops it. */
  start(intervalMs = 1_000): () => void {
    const timer = setInterval(() => (this.#now = Date.now()), intervalMs);
    return () => clearInterval(timer);
  }
}
