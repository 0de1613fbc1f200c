import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { bindingMarker } from './celeryKeys.js';

/** Enough routing tables to see every prefix in a database; a bound on the SCAN, not a count. */
const bindingScanLimit = 1000;

/**
 * Celery namespaces of one database. kombu keeps a routing table `_kombu.binding.<exchange>` per
 * exchange, with the broker `global_keyprefix` prepended verbatim, so the part before the marker
 * is the prefix (`qlab:_kombu.binding.celery` → `qlab:`). A configured prefix is added even when
 * no table is there yet (nothing declared), so its queues appear as soon as they exist.
 */
export async function detectCelery(ctx: ProbeContext): Promise<ProbeNamespace[]> {
  const keys = await ctx.redis.scanKeys(`*${bindingMarker}*`, { limit: bindingScanLimit });
  const found = new Set(keys.map((k) => k.slice(0, k.indexOf(bindingMarker))));
  const namespaces: ProbeNamespace[] = [...found].sort().map((prefix) => ({
    framework: 'celery', db: ctx.redis.db, prefix, source: `detected from ${prefix}${bindingMarker}*`,
  }));
  const configured = ctx.config.keyPrefix;
  if (configured !== undefined && !found.has(configured)) {
    namespaces.push({ framework: 'celery', db: ctx.redis.db, prefix: configured, source: 'configured' });
  }
  return namespaces;
}
