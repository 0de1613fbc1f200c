import type { ItemError, ProbeContext } from '../probe.js';
import type { RedisCommand, RedisReply } from '../../io/redis/redisReader.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';

/**
 * Above this many entries in `unacked`, a poll does not read them to split reserved and
 * scheduled by queue (an O(n) read); it reports the total in a note.
 */
export const unackedReadCap = 1000;

export interface CeleryBatch {
  /** Sum of the queue's list and its priority sub-queues; `null` when the queue's list is unreadable. */
  waiting: Map<string, number | null>;
  unackedCount: number | null;
  /** Delivery tags and values of `unacked`, when read completely in this batch. */
  unackedEntries: string[] | null;
  bindingsChanged: boolean;
  errors: ItemError[];
  degraded: string | null;
}

/**
 * The poll's single round trip. HSCAN with a large COUNT returns the whole hash in one call when
 * it is small (cursor 0 back); otherwise the split is skipped rather than read in pieces.
 */
export async function readBatch(ctx: ProbeContext, discovery: CeleryDiscovery, readUnacked: boolean): Promise<CeleryBatch> {
  const unacked = `${discovery.prefix}unacked`;
  const commands: RedisCommand[] = [];
  for (const q of discovery.queues) for (const key of q.keys) commands.push({ cmd: 'LLEN', args: [key] });
  const hlenAt = commands.push({ cmd: 'HLEN', args: [unacked] }) - 1;
  const hscanAt = readUnacked ? commands.push({ cmd: 'HSCAN', args: [unacked, '0', 'COUNT', unackedReadCap * 4] }) - 1 : -1;
  const scardAt = commands.length;
  for (const b of discovery.bindingSets) commands.push({ cmd: 'SCARD', args: [b.key] });
  const replies = await ctx.redis.batch(commands);

  const errors: ItemError[] = [];
  let degraded: string | null = null;
  const failed = (key: string, reply: Error): void => {
    errors.push({ item: key, message: reply.message });
    if (/NOPERM/i.test(reply.message)) degraded = `no permission to read ${key}: ${reply.message}`;
  };
  const waiting = new Map<string, number | null>();
  let at = 0;
  for (const q of discovery.queues) {
    let sum: number | null = 0;
    for (const [i, key] of q.keys.entries()) {
      const reply = replies[at++];
      if (reply instanceof Error) {
        failed(key, reply);
        // A sub-queue key of another type is not kombu's; the queue's own list must be read.
        if (i === 0) sum = null;
      } else if (sum !== null) sum += Number(reply ?? 0);
    }
    waiting.set(q.name, sum);
  }
  const hlen = replies[hlenAt];
  let unackedCount: number | null = null;
  if (hlen instanceof Error) failed(unacked, hlen);
  else unackedCount = Number(hlen ?? 0);
  let unackedEntries: string[] | null = null;
  if (hscanAt >= 0) {
    const scan = replies[hscanAt];
    if (scan instanceof Error) failed(unacked, scan);
    else if (Array.isArray(scan) && String(scan[0]) === '0' && Array.isArray(scan[1])) unackedEntries = (scan[1] as RedisReply[]).map(String);
  }
  const bindingsChanged = discovery.bindingSets.some((b, i) => {
    const reply = replies[scardAt + i];
    return !(reply instanceof Error) && Number(reply) !== b.size;
  });
  return { waiting, unackedCount, unackedEntries, bindingsChanged, errors, degraded };
}
