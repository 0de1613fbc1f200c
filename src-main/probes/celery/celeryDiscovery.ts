/** What discovery found in one Celery namespace, reused by every poll until the next discovery. */
export interface CeleryDiscovery {
  prefix: string;
  /** kombu's priority separator in this namespace (`\x06\x16` unless the app changed `sep`). */
  sep: string;
  /** Task queues, sorted by name. */
  queues: CeleryQueue[];
  /**
   * exchange → routing key → queues, from the routing tables: how kombu itself finds the queue
   * of an unacked message when it restores it. The default exchange `''` routes to the queue
   * named by the routing key and is not listed.
   */
  routes: Record<string, Record<string, string[]>>;
  /** The routing-table keys and their sizes, so a poll can notice a queue being declared. */
  bindingSets: { key: string; size: number }[];
  /**
   * Worker names from `_kombu.binding.celery.pidbox`: a hint only, since a killed worker's
   * binding stays behind (live: SIGKILL leaves it; a clean shutdown removes it).
   */
  workerHints: string[];
  /** Set when the SCAN for priority sub-queues stopped at its bound. */
  notes: string[];
}

export interface CeleryQueue {
  name: string;
  /** The lists whose lengths sum to `waiting`: the queue itself, then its priority sub-queues. */
  keys: string[];
}
