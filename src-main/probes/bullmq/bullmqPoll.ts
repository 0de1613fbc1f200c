import type { ItemError, ProbeReading, QueueReading } from '../../contract/snapshot.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import type { BullmqDiscovery } from './bullmqDiscovery.js';
import { perQueue, queueCommands, readQueue, type QueueExtras } from './bullmqQueues.js';
import { readWorkers } from './bullmqWorkers.js';

/**
 * One poll of one BullMQ prefix: every queue's counts, the job next to run and its times, the
 * first active jobs' `pb`, and CLIENT LIST, in ONE pipelined batch. Nothing is written: BullMQ's
 * own getJobCounts may RPOP a legacy marker, so it is reimplemented with LLEN/ZCARD.
 */
export async function pollBullmq(ctx: ProbeContext, ns: ProbeNamespace, discovery: BullmqDiscovery): Promise<ProbeReading> {
  const { queues } = discovery;
  const replies = await ctx.redis.batch([
    ...queues.flatMap((q) => queueCommands(ns.prefix, q, ctx.now)),
    { cmd: 'CLIENT', args: ['LIST'] },
  ]);
  const errors: ItemError[] = [];
  const refused = new Set<string>();
  const extras = new Map<string, QueueExtras>();
  const partial = queues.map((q, i) => {
    const read = readQueue(ns.prefix, q, replies.slice(i * perQueue, (i + 1) * perQueue), errors, refused);
    extras.set(q, read.extras);
    return read.reading;
  });
  const workers = readWorkers(replies[queues.length * perQueue], ns.prefix, ctx.redis.db, queues, extras, ctx.connectionId, ctx.now);
  const readings: QueueReading[] = partial.map((r) => ({
    ...r,
    workers: workers.counts.get(r.queue)!,
    notes: { ...r.notes, workers: workers.notes.get(r.queue) },
  }));
  const reading: ProbeReading = { takenAt: ctx.now, queues: readings, workers: workers.workers, errors };
  const degraded = [workers.degraded];
  if (refused.size > 0) degraded.push(`BullMQ: the user may not read ${[...refused].sort().join(', ')} (NOPERM)`);
  const reasons = degraded.filter((d): d is string => Boolean(d));
  if (reasons.length) reading.degraded = reasons.join('; ');
  if (workers.unknownQueues.length) reading.membershipChanged = true;
  return reading;
}
