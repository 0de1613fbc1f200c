/**
 * RQ's key names (rq/queue.py, registry.py, worker.py, job.py, results.py; the same in 1.13 and
 * 2.10). RQ has no key prefix setting: every key starts with `rq:`. See README.md for the table.
 */
export const rqKeys = {
  /** Set of `rq:queue:<name>` for every queue ever used. */
  queues: 'rq:queues',
  /** Set of `rq:worker:<name>` of registered workers (stale members stay after a crash). */
  workers: 'rq:workers',
  queue: (q: string) => `rq:queue:${q}`,
  /** 1.15+: jobs a worker popped (BLMOVE) and has not yet registered as started. */
  intermediate: (q: string) => `rq:queue:${q}:intermediate`,
  /** StartedJobRegistry: job id (2.x: `<job>:<execution>`) → expiry, epoch seconds. */
  wip: (q: string) => `rq:wip:${q}`,
  finished: (q: string) => `rq:finished:${q}`,
  failed: (q: string) => `rq:failed:${q}`,
  /** ScheduledJobRegistry: job id → the time it is due, epoch seconds (not an expiry). */
  scheduled: (q: string) => `rq:scheduled:${q}`,
  deferred: (q: string) => `rq:deferred:${q}`,
  /** Set of `rq:worker:<name>` listening on a queue. */
  workersOf: (q: string) => `rq:workers:${q}`,
  worker: (name: string) => `rq:worker:${name}`,
  job: (id: string) => `rq:job:${id}`,
  /** Stream of one job's results (Redis ≥ 5). */
  results: (id: string) => `rq:results:${id}`,
} as const;

export const queueKeyPrefix = 'rq:queue:';
export const workerKeyPrefix = 'rq:worker:';

/** `rq:queue:default` → `default`; `null` for a member that is not a queue key. */
export function queueNameOf(member: string): string | null {
  return member.startsWith(queueKeyPrefix) ? member.slice(queueKeyPrefix.length) : null;
}

/** `rq:worker:host.1234` → `host.1234`; `null` for a member that is not a worker key. */
export function workerNameOf(member: string): string | null {
  return member.startsWith(workerKeyPrefix) ? member.slice(workerKeyPrefix.length) : null;
}
