import type { FigureName, WorkerInfo } from '../../contract/figures.js';
import type { ItemError, QueueReading } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import { parseIsoTime } from '../shared/time.js';
import { rqKeys } from './rqKeys.js';
import { asInt, asTexts, errorOf, isNoPerm, type Slot } from './rqReplies.js';
import type { RqLayout } from './rqVersion.js';
import { countWorkers } from './rqWorkers.js';

/** Commands per queue, in this order (see {@link readQueue}). */
export const perQueue = 7;

/**
 * One queue's counts, all O(1) or O(log n). Registry counts mirror what RQ's `count` shows
 * after its cleanup (which removes entries whose expiry score ≤ now, in whole seconds) without
 * running that cleanup: `ZCOUNT key (now +inf`.
 */
export function queueCommands(q: string, nowMs: number): RedisCommand[] {
  const nowS = Math.floor(nowMs / 1000);
  return [
    { cmd: 'LLEN', args: [rqKeys.queue(q)] },
    { cmd: 'LLEN', args: [rqKeys.intermediate(q)] },
    { cmd: 'ZCARD', args: [rqKeys.scheduled(q)] },
    { cmd: 'ZCOUNT', args: [rqKeys.wip(q), `(${nowS}`, '+inf'] },
    { cmd: 'ZCOUNT', args: [rqKeys.failed(q), `(${nowS}`, '+inf'] },
    // The head of the list is the next job to run; its hash's enqueued_at, in the same round trip.
    { cmd: 'SORT_RO', args: [rqKeys.queue(q), 'BY', 'nosort', 'LIMIT', 0, 1, 'GET', '#', 'GET', 'rq:job:*->enqueued_at'] },
    { cmd: 'ZCOUNT', args: [rqKeys.wip(q), '-inf', nowS] },
  ];
}

const fixedNotes: Partial<Record<FigureName, string>> = {
  dead: 'RQ keeps no dead set: a job that exhausts its retries goes to the failed registry',
  retrying: 'RQ keeps no retry set: a job waiting for a retry sits in the scheduled registry (with an interval) or back in the queue (without), and only its own hash says so',
};

export function readQueue(
  q: string, replies: Slot[], layout: RqLayout, workers: WorkerInfo[] | null, errors: ItemError[], refused: Set<string>,
): QueueReading {
  const notes: Partial<Record<FigureName, string>> = { ...fixedNotes };
  const keys = [rqKeys.queue(q), rqKeys.intermediate(q), rqKeys.scheduled(q), rqKeys.wip(q), rqKeys.failed(q), rqKeys.queue(q), rqKeys.wip(q)];
  const count = (i: number, figure: FigureName): number | null => {
    const reply = replies[i];
    const value = asInt(reply);
    if (value === null) {
      const error = errorOf(reply);
      if (isNoPerm(reply)) refused.add(keys[i]!);
      else errors.push({ item: keys[i]!, message: error ? error.message : 'unexpected reply' });
      notes[figure] = `${keys[i]} could not be read${error ? `: ${error.message}` : ''}`;
    }
    return value;
  };
  const waiting = count(0, 'waiting');
  let reserved: number | null = null;
  if (layout.hasIntermediate === true) reserved = count(1, 'reserved');
  else if ((asInt(replies[1]) ?? 0) > 0) reserved = asInt(replies[1]);
  else notes.reserved = layout.hasIntermediate === false
    ? `${layout.source}: before 1.15 RQ has no intermediate list, a popped job goes straight to started`
    : `${layout.source}; no intermediate list exists here`;
  const running = count(3, 'running');
  const abandoned = asInt(replies[6]) ?? 0;
  if (abandoned > 0) notes.running = `${abandoned} started ${abandoned === 1 ? 'entry has' : 'entries have'} expired (the worker stopped heartbeating); RQ moves them to failed at its next cleanup`;
  return {
    queue: q, waiting, scheduled: count(2, 'scheduled'), reserved, running, failed: count(4, 'failed'),
    dead: null, retrying: null,
    oldestWaitingAt: oldestOf(replies[5], waiting, notes),
    workers: countWorkers(workers, q),
    notes,
  };
}

/** From SORT_RO's `[id, enqueued_at]`: `null` when nothing waits, `undefined` when unknown. */
function oldestOf(reply: Slot, waiting: number | null, notes: Partial<Record<FigureName, string>>): number | null | undefined {
  const pair = asTexts(reply);
  if (!pair) {
    notes.oldestWaitingAgeMs = `SORT_RO failed: ${errorOf(reply)?.message ?? 'unexpected reply'} (it needs Redis 7)`;
    return undefined;
  }
  if (pair.length === 0) return waiting === 0 || waiting === null ? null : undefined;
  const at = parseIsoTime(pair[1]);
  if (at === null) notes.oldestWaitingAgeMs = `job ${pair[0]} at the head of the queue has no enqueued_at`;
  return at ?? undefined;
}
