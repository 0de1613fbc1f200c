import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { sidekiqKeys } from './sidekiqKeys.js';
import { BatchPlan, asText, asTexts, failureOf } from './sidekiqReplies.js';

/** Enough marker keys to see every namespace of a database; a bound on the SCAN, not a count. */
const markerScanLimit = 1000;

/** The marker keys Sidekiq leaves, each after the redis-namespace prefix (`app:queues`). */
const markers = ['stat:processed', 'processes', 'queues'] as const;

/**
 * Sidekiq namespaces of one database. redis-namespace (Sidekiq ≤ 6) prepends `<ns>:` to every
 * key, so the part before a marker is the prefix. One SCAN whose glob `*[us]e[sd]` covers the
 * three markers' endings (`…ues`, `…ses`, `…sed`); candidates are then checked by type, because
 * RQ's `rq:queues` is a set too (of `rq:queue:<name>`, which a Sidekiq `queues` set never holds).
 */
export async function detectSidekiq(ctx: ProbeContext): Promise<ProbeNamespace[]> {
  const keys = await ctx.redis.scanKeys('*[us]e[sd]', { limit: markerScanLimit });
  const candidates = new Set<string>();
  for (const key of keys) {
    for (const marker of markers) {
      if (!key.endsWith(marker)) continue;
      const prefix = key.slice(0, key.length - marker.length);
      if (prefix === '' || prefix.endsWith(':')) candidates.add(prefix);
    }
  }
  const prefixes = [...candidates].sort();
  const plan = new BatchPlan();
  const slots = prefixes.map((p) => {
    const k = sidekiqKeys(p);
    return { processed: plan.add('TYPE', k.processed), processes: plan.add('TYPE', k.processes), queues: plan.add('TYPE', k.queues), members: plan.add('SMEMBERS', k.queues) };
  });
  const replies = plan.commands.length ? await ctx.redis.batch(plan.commands) : [];
  const firstError = replies.find((r): r is Error => r instanceof Error);
  if (firstError && replies.every((r) => r instanceof Error)) throw failureOf(firstError, 'Sidekiq detection (TYPE, SMEMBERS)');
  const found: ProbeNamespace[] = [];
  prefixes.forEach((prefix, i) => {
    const s = slots[i]!;
    const members = asTexts(replies[s.members]) ?? [];
    const isSidekiq = asText(replies[s.processed]) === 'string'
      || asText(replies[s.processes]) === 'set'
      || (asText(replies[s.queues]) === 'set' && members.length > 0 && !members.some((m) => m?.startsWith('rq:queue:')));
    if (!isSidekiq) return;
    const marker = asText(replies[s.processed]) === 'string' ? 'stat:processed' : asText(replies[s.processes]) === 'set' ? 'processes' : 'queues';
    found.push({ framework: 'sidekiq', db: ctx.redis.db, prefix, source: `detected from ${prefix}${marker}` });
  });
  const configured = ctx.config.keyPrefix;
  if (configured !== undefined && !found.some((n) => n.prefix === configured)) {
    found.push({ framework: 'sidekiq', db: ctx.redis.db, prefix: configured, source: 'configured' });
  }
  return found;
}
