/**
 * Sidekiq's key names (sidekiq/api.rb, launcher.rb, 6.4 live and 7.x/8.x source). Every key is
 * written under the redis-namespace prefix when one is configured (`app:queues`): Sidekiq ≤ 6
 * supports redis-namespace, 7.0 dropped it, so 7+ always has prefix ''. See README.md.
 */
export function sidekiqKeys(prefix: string) {
  return {
    /** Set of queue names (bare names, never shrinks by itself). */
    queues: `${prefix}queues`,
    /** Job JSON; LPUSH by clients, BRPOP by workers, so index -1 is the oldest (next) job. */
    queue: (q: string) => `${prefix}queue:${q}`,
    /** Zsets scored by epoch seconds: run time (schedule, retry) or death time (dead). */
    schedule: `${prefix}schedule`,
    retry: `${prefix}retry`,
    dead: `${prefix}dead`,
    /** Set of process identities `host:pid:nonce`; stale members stay after a crash. */
    processes: `${prefix}processes`,
    /** Hash per process (TTL 60 s): info, busy, beat, quiet, rss, rtt_us (8.1+: concurrency). */
    process: (identity: string) => `${prefix}${identity}`,
    /** Thread id → {queue, payload, run_at}: `:workers` up to 6.x, `:work` from 7.0. */
    workers6: (identity: string) => `${prefix}${identity}:workers`,
    work7: (identity: string) => `${prefix}${identity}:work`,
    /** All-time counters; processed counts failed attempts too. */
    processed: `${prefix}stat:processed`,
    failed: `${prefix}stat:failed`,
  };
}

export type SidekiqKeys = ReturnType<typeof sidekiqKeys>;

/** The three job sets and the figure each one is. */
export const jobSets = [
  { set: 'schedule', figure: 'scheduled' },
  { set: 'retry', figure: 'retrying' },
  { set: 'dead', figure: 'dead' },
] as const;

export type JobSetName = (typeof jobSets)[number]['set'];
