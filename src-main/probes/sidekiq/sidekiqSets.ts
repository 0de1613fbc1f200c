import type { ItemError } from '../../contract/snapshot.js';
import type { SidekiqKeys } from './sidekiqKeys.js';
import { jobSets, type JobSetName } from './sidekiqKeys.js';
import { parseJob } from './sidekiqJob.js';
import { BatchPlan, asInt, asTexts, type Slot } from './sidekiqReplies.js';

/**
 * Sidekiq keeps ONE schedule, retry and dead set for all queues of a namespace, with the queue
 * inside each member's JSON. ZCARD gives the namespace total in O(1); the split by queue needs
 * the members, so a poll reads them only while a set is small (≤ this many members, known from
 * the previous poll): a bounded read whose cost does not grow with the set.
 */
export const splitBound = 200;

export interface SetSlots { card: number; members: number | null }

export function planSets(plan: BatchPlan, keys: SidekiqKeys, previousTotals: Partial<Record<JobSetName, number>>): Record<JobSetName, SetSlots> {
  const slots = {} as Record<JobSetName, SetSlots>;
  for (const { set } of jobSets) {
    const before = previousTotals[set];
    slots[set] = {
      card: plan.add('ZCARD', keys[set]),
      members: before === undefined || before <= splitBound ? plan.add('ZRANGE', keys[set], 0, splitBound - 1) : null,
    };
  }
  return slots;
}

export interface SetReading {
  /** ZCARD; `null` when unreadable. */
  total: number | null;
  /** Members per queue, when every member was read. */
  byQueue: Map<string, number> | null;
  /** Why it could not be split, when it could not. */
  reason: string | null;
}

export function readSet(set: JobSetName, key: string, slots: SetSlots, replies: Slot[], errors: ItemError[]): SetReading {
  const cardReply = replies[slots.card];
  const total = asInt(cardReply);
  if (total === null) {
    const message = cardReply instanceof Error ? cardReply.message : 'unexpected reply';
    errors.push({ item: key, message });
    return { total: null, byQueue: null, reason: `${key} could not be read: ${message}` };
  }
  const members = slots.members === null ? null : asTexts(replies[slots.members]);
  if (!members || members.length < total) {
    return { total, byQueue: null, reason: `${total} in the ${set} set of this namespace (one set for all queues); more than ${splitBound}, too many to split by queue in a poll` };
  }
  const byQueue = new Map<string, number>();
  let undecodable = 0;
  for (const m of members) {
    const queue = parseJob(m)?.queue;
    if (queue) byQueue.set(queue, (byQueue.get(queue) ?? 0) + 1);
    else undecodable += 1;
  }
  if (undecodable > 0) errors.push({ item: key, message: `${undecodable} member${undecodable === 1 ? ' is' : 's are'} not job JSON with a queue` });
  return { total, byQueue, reason: null };
}
