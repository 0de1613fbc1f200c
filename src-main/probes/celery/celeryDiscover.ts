import type { ProbeContext, ProbeNamespace } from '../probe.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import {
  bindingMarker, defaultPrioritySteps, detectSep, globEscape, isControlExchange, isControlQueue,
  parseBinding, priorityKey,
} from './celeryKeys.js';
import { findPrioritySteps } from './celeryPriorities.js';

const bindingScanLimit = 10_000;

/**
 * Queues, routes and worker hints of one namespace (slow cadence: SCAN and SMEMBERS are fine
 * here, never in a poll). Queues come from the routing tables, not from the lists: an empty
 * Redis list does not exist, and an idle queue must still be shown with 0 waiting.
 */
export async function discoverCelery(ctx: ProbeContext, ns: ProbeNamespace): Promise<CeleryDiscovery> {
  const tablePrefix = `${ns.prefix}${bindingMarker}`;
  const keys = (await ctx.redis.scanKeys(`${globEscape(tablePrefix)}*`, { limit: bindingScanLimit }))
    .filter((k) => k.startsWith(tablePrefix)).sort();
  const replies = await ctx.redis.batch(keys.map((key) => ({ cmd: 'SMEMBERS', args: [key] })));
  const tables = keys.map((key, i) => {
    const reply = replies[i];
    const members = Array.isArray(reply) ? reply.map(String) : [];
    return { key, exchange: key.slice(tablePrefix.length), members };
  });
  const sep = detectSep(tables.flatMap((t) => t.members));
  const queues = new Set<string>();
  const routes: CeleryDiscovery['routes'] = {};
  const workerHints: string[] = [];
  for (const table of tables) {
    for (const member of table.members) {
      const binding = parseBinding(member, sep);
      if (!binding) continue;
      if (table.exchange === 'celery.pidbox') {
        if (binding.queue.endsWith('.celery.pidbox')) workerHints.push(binding.queue.slice(0, -'.celery.pidbox'.length));
        continue;
      }
      if (isControlExchange(table.exchange) || isControlQueue(binding.queue)) continue;
      queues.add(binding.queue);
      if (table.exchange === '') continue;
      const byKey = (routes[table.exchange] ??= {});
      (byKey[binding.routingKey] ??= []).push(binding.queue);
    }
  }
  const names = [...queues].sort();
  const found = await findPrioritySteps(ctx, ns.prefix, sep, names);
  const steps = [...new Set([...defaultPrioritySteps, ...found.steps])].sort((a, b) => a - b);
  return {
    prefix: ns.prefix,
    sep,
    queues: names.map((name) => ({
      name,
      keys: [0, ...steps]
        // A sub-queue key that is itself a declared queue (possible with a custom `sep`) is not one.
        .map((step) => priorityKey(ns.prefix, name, sep, step))
        .filter((key, i) => i === 0 || !queues.has(key.slice(ns.prefix.length))),
    })),
    routes,
    // Control tables change with every worker, monitor and `celery inspect`: not queue membership.
    bindingSets: tables.filter((t) => !isControlExchange(t.exchange)).map((t) => ({ key: t.key, size: t.members.length })),
    workerHints: workerHints.sort(),
    notes: found.notes,
  };
}
