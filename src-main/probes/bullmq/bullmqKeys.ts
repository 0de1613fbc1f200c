/**
 * BullMQ's key names: `<prefix>:<queue>:<suffix>` (classes/queue-keys.js), the same in 5.x and
 * 6.x. The prefix is BullMQ's own `prefix` option (default `bull`), which may itself contain
 * colons or a cluster hash tag (`{bull}`); a queue name may not contain `:` (BullMQ refuses it),
 * so a key splits from the right. ioredis' `keyPrefix` is a different thing and is never set.
 */
export function bullmqKeys(prefix: string, queue: string) {
  const base = `${prefix}:${queue}`;
  return {
    base,
    wait: `${base}:wait`,
    /** 5.x only: jobs of a paused queue are moved here (6.x leaves them in `wait`). */
    paused: `${base}:paused`,
    /** score = priority × 2^32 + counter. */
    prioritized: `${base}:prioritized`,
    active: `${base}:active`,
    /** score = run-at ms × 4096 + counter (see {@link delayedRunAt}). */
    delayed: `${base}:delayed`,
    /** score = finishedOn ms. */
    completed: `${base}:completed`,
    failed: `${base}:failed`,
    waitingChildren: `${base}:waiting-children`,
    meta: `${base}:meta`,
    events: `${base}:events`,
    job: (id: string) => `${base}:${id}`,
    logs: (id: string) => `${base}:${id}:logs`,
    /** A SORT … GET pattern reading a field of the job hash each element names. */
    jobField: (field: string) => `${base}:*->${field}`,
  };
}

/** The marker suffixes whose keys reveal a queue: the id counter, the meta hash, the events stream. */
export const markerTypes: Record<string, string> = { id: 'string', meta: 'hash', events: 'stream' };

/**
 * One SCAN glob matching `…:id`, `…:meta` and `…:events` (a colon, then i/m/e, then d/e/v): one
 * pass over the keyspace instead of three. The candidates are then checked by name and TYPE.
 */
export const markerGlob = '*:[eim][dve]*';

/** `bull:emails:id` → `{prefix: 'bull', queue: 'emails', marker: 'id'}`; `null` otherwise. */
export function splitMarkerKey(key: string): { prefix: string; queue: string; marker: string } | null {
  const m = /^(.+):([^:]+):(id|meta|events)$/s.exec(key);
  return m ? { prefix: m[1]!, queue: m[2]!, marker: m[3]! } : null;
}

/** Escapes a literal for a Redis glob. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Delayed zset score → the run-at time in epoch ms (BullMQ: `timestamp * 0x1000 + (counter & 0xfff)`). */
export function delayedRunAt(score: number): number {
  return Math.floor(score / 0x1000);
}

/** Prioritized zset score → the priority (`priority * 2^32 + counter`). */
export function priorityOf(score: number): number {
  return Math.floor(score / 0x100000000);
}
