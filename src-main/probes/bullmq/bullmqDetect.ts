import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { markerGlob, markerTypes, splitMarkerKey } from './bullmqKeys.js';
import { asText, failureOf } from './bullmqReplies.js';

/** A bound on one SCAN for marker keys (a bound on work, not a count of queues). */
const markerScanLimit = 20_000;

/**
 * Queues under any prefix, from the keys every BullMQ queue leaves: `<prefix>:<queue>:id` (the id
 * counter, INCR'd by every add), `:events` (the stream) or `:meta` — never `:meta` alone, which
 * older writers and obliterated queues may lack. One SCAN pass, then TYPE of each candidate, so
 * that another framework's `…:id` key of another type is not taken for a queue.
 */
export async function scanQueues(ctx: ProbeContext, glob: string): Promise<Map<string, Set<string>>> {
  const keys = await ctx.redis.scanKeys(glob, { limit: markerScanLimit });
  const candidates = keys.flatMap((key) => {
    const parts = splitMarkerKey(key);
    return parts ? [{ key, ...parts }] : [];
  });
  const types = candidates.length
    ? await ctx.redis.batch(candidates.map((c) => ({ cmd: 'TYPE', args: [c.key] })))
    : [];
  const byPrefix = new Map<string, Set<string>>();
  candidates.forEach((c, i) => {
    const type = types[i];
    if (type instanceof Error) throw failureOf(type, `BullMQ detection (TYPE ${c.key})`);
    if (asText(type) !== markerTypes[c.marker]) return;
    const queues = byPrefix.get(c.prefix) ?? new Set<string>();
    queues.add(c.queue);
    byPrefix.set(c.prefix, queues);
  });
  return byPrefix;
}

/** BullMQ namespaces (one per prefix) in this database, plus a configured prefix even before any key exists. */
export async function detectBullmq(ctx: ProbeContext): Promise<ProbeNamespace[]> {
  if (ctx.config.enabled === false) return [];
  const found = await scanQueues(ctx, markerGlob);
  const namespaces: ProbeNamespace[] = [...found.keys()].sort().map((prefix) => ({
    framework: 'bullmq', db: ctx.redis.db, prefix, source: `detected from ${prefix}:<queue>:id / :events / :meta`,
  }));
  const configured = ctx.config.keyPrefix;
  if (configured && !found.has(configured)) {
    namespaces.push({ framework: 'bullmq', db: ctx.redis.db, prefix: configured, source: 'configured' });
  }
  return namespaces;
}
