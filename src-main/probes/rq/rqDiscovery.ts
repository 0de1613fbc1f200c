import type { ProbeContext } from '../probe.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import { queueNameOf, rqKeys, workerNameOf } from './rqKeys.js';
import { asInt, asTexts, isNoPerm } from './rqReplies.js';
import { executionMemberPattern, inferLayout, type RqLayout } from './rqVersion.js';

/** Membership of one RQ database, refreshed on the slow cadence and reused by every poll. */
export interface RqDiscovery {
  /** Queue names, sorted: those of `rq:queues` plus those a registered worker listens on. */
  queues: string[];
  /** How many members `rq:queues` had: a poll's SCARD that differs means a new queue. */
  registeredQueueCount: number;
  /** Worker names from `rq:workers`, sorted. */
  workers: string[];
  /** Queues each worker listens on, from `rq:workers:<queue>`: still there after a crash, when the hash is gone. */
  workerQueues: Record<string, string[]>;
  layout: RqLayout;
  /** Set when something membership-like could not be read (a missing permission). */
  degraded?: string;
}

/** Three small batches: the registry sets; the workers' versions and queues; per queue, what tells layout and attribution. */
export async function discoverRq(ctx: ProbeContext): Promise<RqDiscovery> {
  const [queuesReply, workersReply] = await ctx.redis.batch([
    { cmd: 'SMEMBERS', args: [rqKeys.queues] },
    { cmd: 'SMEMBERS', args: [rqKeys.workers] },
  ]);
  const registered = (asTexts(queuesReply) ?? []).flatMap((m) => queueNameOf(m) ?? []);
  const workers = (asTexts(workersReply) ?? []).flatMap((m) => workerNameOf(m) ?? []).sort();
  const refused = [queuesReply, workersReply].some(isNoPerm);

  const hashes = workers.length
    ? await ctx.redis.batch(workers.map((w) => ({ cmd: 'HMGET', args: [rqKeys.worker(w), 'version', 'queues'] })))
    : [];
  const versions = hashes.map((h) => asTexts(h)?.[0] || null);
  const listened = hashes.flatMap((h) => asTexts(h)?.[1]?.split(',').filter(Boolean) ?? []);
  const queues = [...new Set([...registered, ...listened])].sort();

  const commands: RedisCommand[] = queues.flatMap((q) => [
    { cmd: 'SMEMBERS', args: [rqKeys.workersOf(q)] },
    { cmd: 'EXISTS', args: [rqKeys.intermediate(q)] },
    { cmd: 'ZRANGE', args: [rqKeys.wip(q), 0, 0] },
  ]);
  const replies = commands.length ? await ctx.redis.batch(commands) : [];
  const workerQueues: Record<string, string[]> = {};
  let intermediateSeen = false;
  let executionsSeen = false;
  queues.forEach((q, i) => {
    for (const member of asTexts(replies[i * 3]) ?? []) {
      const name = workerNameOf(member);
      if (name) (workerQueues[name] ??= []).push(q);
    }
    if ((asInt(replies[i * 3 + 1]) ?? 0) > 0) intermediateSeen = true;
    if ((asTexts(replies[i * 3 + 2]) ?? []).some((m) => executionMemberPattern.test(m))) executionsSeen = true;
  });
  const discovery: RqDiscovery = {
    queues, registeredQueueCount: registered.length, workers, workerQueues,
    layout: inferLayout(versions, intermediateSeen, executionsSeen),
  };
  if (refused) discovery.degraded = 'RQ discovery: the user may not read rq:queues or rq:workers (NOPERM)';
  return discovery;
}
