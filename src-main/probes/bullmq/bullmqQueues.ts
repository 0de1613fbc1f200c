import type { FigureName } from '../../contract/figures.js';
import type { ItemError, QueueReading } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import { bullmqKeys } from './bullmqKeys.js';
import { asInt, asTexts, numberOf, isNoPerm, type Slot } from './bullmqReplies.js';

/** Active jobs whose `pb` (processed by) a poll reads, to tell which named workers are busy. */
export const activeReadLimit = 100;

/** Commands per queue, in this order (see {@link readQueue}). */
export const perQueue = 13;

/** Reads the head of a list or zset and its job's `timestamp` and `delay` (Redis 7 SORT_RO, BY nosort reads only the LIMIT range). */
function headWithTimes(key: string, k: ReturnType<typeof bullmqKeys>, fromTail: boolean): RedisCommand {
  return { cmd: 'SORT_RO', args: [key, 'BY', 'nosort', ...(fromTail ? ['DESC'] : []), 'LIMIT', 0, 1, 'GET', '#', 'GET', k.jobField('timestamp'), 'GET', k.jobField('delay')] };
}

/**
 * One queue's counts, all O(1) or O(log n) (README.md "Figures"). Workers take from the right
 * of `wait` (RPOPLPUSH/LMOVE), so its tail is the next to run; a `prioritized` zset's head is.
 */
export function queueCommands(prefix: string, q: string, now: number): RedisCommand[] {
  const k = bullmqKeys(prefix, q);
  return [
    { cmd: 'LLEN', args: [k.wait] },
    { cmd: 'LLEN', args: [k.paused] },
    { cmd: 'ZCARD', args: [k.prioritized] },
    { cmd: 'ZCARD', args: [k.delayed] },
    { cmd: 'LLEN', args: [k.active] },
    { cmd: 'ZCARD', args: [k.failed] },
    { cmd: 'ZCARD', args: [k.waitingChildren] },
    { cmd: 'HGET', args: [k.meta, 'paused'] },
    headWithTimes(k.wait, k, true),
    headWithTimes(k.paused, k, true),
    headWithTimes(k.prioritized, k, false),
    // Delayed jobs whose time has come but that no worker has promoted yet (score < now × 4096).
    { cmd: 'ZCOUNT', args: [k.delayed, '-inf', `(${now * 0x1000}`] },
    { cmd: 'SORT_RO', args: [k.active, 'BY', 'nosort', 'LIMIT', 0, activeReadLimit, 'GET', '#', 'GET', k.jobField('pb')] },
  ];
}

const fixedNotes: Partial<Record<FigureName, string>> = {
  reserved: 'BullMQ has no reserved state: a worker moves a job from wait straight to active',
  dead: 'BullMQ keeps no dead set: a job that exhausts its attempts goes to the failed set',
  retrying: 'BullMQ keeps no retry set: a job waiting for its next attempt sits in delayed (with a backoff) or back in wait, and only its own hash (attemptsMade) says so',
};

/** What a poll read of one queue besides the contract figures: for the worker view. */
export interface QueueExtras {
  active: number | null;
  /** `[jobId, pb]` of the first active jobs (up to {@link activeReadLimit}). */
  activeJobs: [string, string | null][];
}

export function readQueue(prefix: string, q: string, replies: Slot[], errors: ItemError[], refused: Set<string>): { reading: Omit<QueueReading, 'workers'>; extras: QueueExtras } {
  const k = bullmqKeys(prefix, q);
  const keys = [k.wait, k.paused, k.prioritized, k.delayed, k.active, k.failed, k.waitingChildren, k.meta];
  const notes: Partial<Record<FigureName, string>> = { ...fixedNotes };
  const count = (i: number, figure: FigureName): number | null => {
    const value = asInt(replies[i]);
    if (value === null) {
      const reply = replies[i];
      if (isNoPerm(reply)) refused.add(keys[i]!);
      else errors.push({ item: keys[i]!, message: reply instanceof Error ? reply.message : 'unexpected reply' });
      notes[figure] = `${keys[i]} could not be read${reply instanceof Error ? `: ${reply.message}` : ''}`;
    }
    return value;
  };
  const wait = count(0, 'waiting');
  const pausedList = count(1, 'waiting');
  const prioritized = count(2, 'waiting');
  const tails = [asTexts(replies[8]), asTexts(replies[9])];
  // Before 5.0 a marker id `0:<ts>` sat at the tail of wait; BullMQ's own count leaves it out.
  const markers = tails.filter((t) => t?.[0]?.startsWith('0:')).length;
  const waiting = wait === null || pausedList === null || prioritized === null ? null : wait + pausedList + prioritized - markers;

  const parts: string[] = [];
  if (replies[7] === '1') parts.push('the queue is paused: its waiting jobs stay until it is resumed');
  const children = asInt(replies[6]) ?? 0;
  if (children > 0) parts.push(`${children} flow parent${children === 1 ? '' : 's'} waiting for children ${children === 1 ? 'is' : 'are'} not counted (not ready to run)`);
  if (parts.length && !notes.waiting) notes.waiting = parts.join('; ');

  const scheduled = count(3, 'scheduled');
  const overdue = asInt(replies[11]) ?? 0;
  if (overdue > 0 && !notes.scheduled) notes.scheduled = `${overdue} delayed job${overdue === 1 ? ' is' : 's are'} past ${overdue === 1 ? 'its' : 'their'} time: no worker has promoted ${overdue === 1 ? 'it' : 'them'} to wait yet`;
  const running = count(4, 'running');
  const failed = count(5, 'failed');

  // Oldest waiting: the job next to run of wait, paused and prioritized; ready since timestamp + delay.
  const heads = [...tails, asTexts(replies[10])].flatMap((h) => {
    if (!h || h.length < 2 || h[0]?.startsWith('0:')) return [];
    const created = numberOf(h[1]);
    return created === null ? [] : [created + (numberOf(h[2]) ?? 0)];
  });
  let oldestWaitingAt: number | null | undefined;
  if (waiting === 0) oldestWaitingAt = null;
  else if (heads.length) oldestWaitingAt = Math.min(...heads);
  else {
    oldestWaitingAt = undefined;
    notes.oldestWaitingAgeMs = 'the job next to run could not be read (SORT_RO needs Redis 7 and read access to every key)';
  }

  const flat = asTexts(replies[12]) ?? [];
  const activeJobs: [string, string | null][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) activeJobs.push([flat[i] ?? '', flat[i + 1] || null]);
  return {
    reading: { queue: q, waiting, scheduled, reserved: null, running, failed, dead: null, retrying: null, oldestWaitingAt, notes },
    extras: { active: running, activeJobs },
  };
}
