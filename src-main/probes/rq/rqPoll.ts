import type { ItemError, ProbeReading } from '../../contract/snapshot.js';
import type { ProbeContext } from '../probe.js';
import type { RqDiscovery } from './rqDiscovery.js';
import { rqKeys } from './rqKeys.js';
import { perQueue, queueCommands, readQueue } from './rqQueues.js';
import { asInt } from './rqReplies.js';
import { readWorkers, workerCommands, type WorkerMemo } from './rqWorkers.js';

/**
 * One poll of one RQ database: every count, the head job's enqueue time, the worker hashes and
 * CLIENT LIST in ONE pipelined batch. Membership comes from discovery; SCARD rq:queues and
 * SMEMBERS rq:workers only tell whether it changed.
 */
export async function pollRq(ctx: ProbeContext, discovery: RqDiscovery, previous: ProbeReading | null): Promise<ProbeReading> {
  const { queues, workers: names } = discovery;
  const commands = [
    ...queues.flatMap((q) => queueCommands(q, ctx.now)),
    { cmd: 'SCARD', args: [rqKeys.queues] },
    ...workerCommands(names),
  ];
  const replies = await ctx.redis.batch(commands);
  const workersAt = queues.length * perQueue + 1;
  const memo = (previous?.memo?.workers ?? null) as WorkerMemo | null;
  const workers = readWorkers(replies.slice(workersAt), names, discovery.workerQueues, ctx.redis.db, ctx.connectionId, ctx.now, memo);
  const errors: ItemError[] = [...workers.errors];
  const refused = new Set<string>();
  const readings = queues.map((q, i) =>
    readQueue(q, replies.slice(i * perQueue, (i + 1) * perQueue), discovery.layout, workers.workers, errors, refused));
  const degraded = [discovery.degraded, workers.degraded];
  if (refused.size > 0) degraded.push(`RQ: the user may not read ${[...refused].sort().join(', ')} (NOPERM)`);
  const reading: ProbeReading = { takenAt: ctx.now, queues: readings, workers: workers.workers, errors, memo: { workers: workers.memo } };
  const reasons = degraded.filter((d): d is string => Boolean(d));
  if (reasons.length > 0) reading.degraded = reasons.join('; ');
  const queueCount = asInt(replies[workersAt - 1]);
  if (workers.unknownNames.length > 0 || (queueCount !== null && queueCount !== discovery.registeredQueueCount)) reading.membershipChanged = true;
  return reading;
}
