import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { workerClientsOf } from './bullmqClients.js';
import { scanQueues } from './bullmqDetect.js';
import { bullmqKeys, globEscape, markerGlob } from './bullmqKeys.js';
import { asText, asTexts } from './bullmqReplies.js';

/** Membership of one BullMQ prefix in one database, refreshed on the slow cadence. */
export interface BullmqDiscovery {
  /** Queue names, sorted: those with marker keys plus those only a connected worker names. */
  queues: string[];
  /** `meta.version` per queue (`bullmq:6.7.6`), `null` when not recorded. */
  versions: Record<string, string | null>;
  /** `meta.opts.maxLenEvents` per queue: the events stream's cap (10000 by default). */
  maxLenEvents: Record<string, number>;
}

const defaultMaxLenEvents = 10_000;

/** SCAN under the prefix, then one batch: each queue's meta and the server's clients. */
export async function discoverBullmq(ctx: ProbeContext, ns: ProbeNamespace): Promise<BullmqDiscovery> {
  const found = await scanQueues(ctx, `${globEscape(ns.prefix)}:${markerGlob}`);
  const scanned = [...(found.get(ns.prefix) ?? [])];
  const replies = await ctx.redis.batch([
    { cmd: 'CLIENT', args: ['LIST'] },
    ...scanned.map((q) => ({ cmd: 'HMGET', args: [bullmqKeys(ns.prefix, q).meta, 'version', 'opts.maxLenEvents'] })),
  ]);
  const clientList = asText(replies[0]);
  const fromWorkers = clientList ? workerClientsOf(clientList, ns.prefix, ctx.redis.db).map((c) => c.queue) : [];
  const queues = [...new Set([...scanned, ...fromWorkers])].sort();
  const versions: Record<string, string | null> = {};
  const maxLenEvents: Record<string, number> = {};
  for (const q of queues) {
    const i = scanned.indexOf(q);
    const [version, maxLen] = i >= 0 ? asTexts(replies[i + 1]) ?? [] : [];
    versions[q] = version ?? null;
    maxLenEvents[q] = maxLen && /^\d+$/.test(maxLen) ? Number(maxLen) : defaultMaxLenEvents;
  }
  // A CLIENT LIST refusal is said once, by the poll (workers unknown); here it only hides
  // queues that a worker names and no key shows yet.
  return { queues, versions, maxLenEvents };
}
