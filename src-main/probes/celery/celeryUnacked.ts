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
  /** Entries routed to a queue discovery does not know yet (it was declared since). */
  unknownQueue: number;
  errors: ItemError[];
}

/**
 * Splits kombu's `unacked` hash (delivery tag → JSON `[message, exchange, routing_key]`) into
 * reserved and scheduled per queue. A worker takes a message into `unacked` when it prefetches
 * it; an ETA/countdown message stays there, held by the worker, until its time comes. So an entry
 * whose ETA is still ahead of `now` is scheduled (what `celery inspect scheduled` lists) and every
 * other entry is reserved (`celery inspect reserved`; with `acks_late` a running task too).
 */
export function splitUnacked(fieldsAndValues: readonly string[], discovery: CeleryDiscovery, now: number): UnackedSplit {
  const perQueue = new Map<string, UnackedCounts>(discovery.queues.map((q) => [q.name, { reserved: 0, scheduled: 0 }]));
  const errors: ItemError[] = [];
  let unknownQueue = 0;
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
      unknownQueue++;
      continue;
    }
    const { etaAt } = headlineOf(env);
    if (etaAt !== null && etaAt > now) counts.scheduled++;
    else counts.reserved++;
  }
  return { perQueue, unknownQueue, errors };
}
