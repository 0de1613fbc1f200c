import type { ItemError } from '../probe.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import { envelopeOf, headlineOf } from './celeryEnvelope.js';
import { queueOf } from './celeryRoutes.js';

export interface UnackedCounts {
  reserved: number;
  scheduled: number;
}

export interface UnackedSplit {
  perQueue: Map<string, UnackedCounts>;
  /** Per queue, ids of retried tasks (`retries` > 0) a worker holds for their next attempt. */
  retried: Map<string, Set<string>>;
  /** Routing keys of entries that match no queue discovery knows (declared since, perhaps). */
  unknownRoutes: Set<string>;
  errors: ItemError[];
}

/**
 * Splits kombu's `unacked` hash (delivery tag → JSON `[message, exchange, routing_key]`) into
 * reserved and scheduled per queue. A worker takes a message into `unacked` when it prefetches
 * it; an ETA/countdown message stays there, held by the worker, until its time comes. So an entry
 * whose ETA is still ahead of `now` is scheduled (what `celery inspect scheduled` lists) and every
 * other entry is reserved (`celery inspect reserved`). With `task_acks_late` a running task's
 * message stays in `unacked` too: the ids in `running` (task-started heard, not finished) are
 * left out, as `celery inspect reserved` leaves out active tasks. An entry with `retries` > 0 is
 * a retried task waiting for its next attempt: it is also listed in `retried`.
 */
export function splitUnacked(fieldsAndValues: readonly string[], discovery: CeleryDiscovery, now: number, running: ReadonlySet<string>): UnackedSplit {
  const perQueue = new Map<string, UnackedCounts>(discovery.queues.map((q) => [q.name, { reserved: 0, scheduled: 0 }]));
  const retried = new Map<string, Set<string>>(discovery.queues.map((q) => [q.name, new Set<string>()]));
  const errors: ItemError[] = [];
  const unknownRoutes = new Set<string>();
  for (let i = 0; i + 1 < fieldsAndValues.length; i += 2) {
    const tag = fieldsAndValues[i]!;
    let entry: unknown;
    try {
      entry = JSON.parse(fieldsAndValues[i + 1]!);
    } catch {
      errors.push({ item: `${discovery.prefix}unacked ${tag}`, message: 'not JSON: not counted as reserved or scheduled' });
      continue;
    }
    const env = Array.isArray(entry) ? envelopeOf(entry[0]) : null;
    if (!env || !Array.isArray(entry)) {
      errors.push({ item: `${discovery.prefix}unacked ${tag}`, message: 'not a kombu message: not counted as reserved or scheduled' });
      continue;
    }
    const exchange = typeof entry[1] === 'string' ? entry[1] : env.exchange;
    const routingKey = typeof entry[2] === 'string' ? entry[2] : env.routingKey;
    const queue = queueOf(discovery, exchange, routingKey);
    const counts = queue === null ? undefined : perQueue.get(queue);
    if (!counts) {
      unknownRoutes.add(`${exchange ?? ''}/${routingKey ?? ''}`);
      continue;
    }
    const { id, etaAt, retries } = headlineOf(env);
    if (id !== null && running.has(id)) continue;
    if (etaAt !== null && etaAt > now) counts.scheduled++;
    else counts.reserved++;
    if (id !== null && retries !== null && retries > 0) retried.get(queue!)!.add(id);
  }
  return { perQueue, retried, unknownRoutes, errors };
}
