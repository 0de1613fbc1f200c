import type { ProbeContext } from '../probe.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import { envelopeOf, headlineOf, parseEnvelope, type KombuEnvelope } from './celeryEnvelope.js';
import { queueOf } from './celeryRoutes.js';

/** Messages read at most per lookup: the search is O(n) and runs only on demand. */
const searchLimit = 200_000;
const chunk = 1000;

export interface FoundMessage {
  envelope: KombuEnvelope;
  queue: string | null;
  /** In a queue list (waiting), or taken by a worker and not yet acknowledged. */
  where: 'queue' | 'unacked';
}

export interface MessageSearch {
  found: FoundMessage | null;
  /** The search stopped at its bound: "not found" is then not certain. */
  truncated: boolean;
}

/**
 * Looks for a task's message in every queue list (and priority sub-queue) and in `unacked`,
 * on demand only. Messages are matched on the raw text first (a task id is unique enough) and
 * decoded only on a hit. Lists move while they are read (LPUSH at the head, BRPOP at the tail),
 * so a message that moves between chunks can be missed: a lookup, not an inventory.
 */
export async function searchMessage(ctx: ProbeContext, discovery: CeleryDiscovery, id: string): Promise<MessageSearch> {
  let read = 0;
  const hit = (text: string): KombuEnvelope | null => {
    if (!text.includes(id)) return null;
    const env = parseEnvelope(text);
    return env && headlineOf(env).id === id ? env : null;
  };
  const unacked = `${discovery.prefix}unacked`;
  let cursor = '0';
  do {
    const [reply] = await ctx.redis.batch([{ cmd: 'HSCAN', args: [unacked, cursor, 'COUNT', chunk] }]);
    if (!Array.isArray(reply)) break;
    cursor = String(reply[0]);
    const flat = Array.isArray(reply[1]) ? reply[1].map(String) : [];
    for (let i = 1; i < flat.length; i += 2) {
      read++;
      const text = flat[i]!;
      if (!text.includes(id)) continue;
      const entry = safeJson(text);
      const env = Array.isArray(entry) ? envelopeOf(entry[0]) : null;
      if (env && entry && headlineOf(env).id === id) {
        const queue = queueOf(discovery, typeof entry[1] === 'string' ? entry[1] : env.exchange, typeof entry[2] === 'string' ? entry[2] : env.routingKey);
        return { found: { envelope: env, queue, where: 'unacked' }, truncated: false };
      }
    }
  } while (cursor !== '0' && read < searchLimit);
  for (const q of discovery.queues) {
    for (const key of q.keys) {
      for (let start = 0; read < searchLimit; start += chunk) {
        const [reply] = await ctx.redis.batch([{ cmd: 'LRANGE', args: [key, start, start + chunk - 1] }]);
        if (!Array.isArray(reply) || reply.length === 0) break;
        for (const item of reply) {
          read++;
          const env = hit(String(item));
          if (env) return { found: { envelope: env, queue: q.name, where: 'queue' }, truncated: false };
        }
        if (reply.length < chunk) break;
      }
    }
  }
  return { found: null, truncated: read >= searchLimit };
}

function safeJson(text: string): unknown[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
