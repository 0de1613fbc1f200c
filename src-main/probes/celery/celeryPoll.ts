import type { ProbeContext, ProbeNamespace, ProbeReading, QueueReading } from '../probe.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import type { CeleryEventState } from './celeryEventState.js';
import { eventFigures } from './celeryEventFigures.js';
import { readBatch, unackedReadCap } from './celeryPollBatch.js';
import { splitUnacked } from './celeryUnacked.js';

/**
 * One poll of a namespace: one pipelined batch of LLEN per queue and priority sub-queue, HLEN
 * and a bounded HSCAN of `unacked`, and SCARD of each routing table (to notice a new queue);
 * everything else comes from the events the monitor folded.
 */
export async function pollCelery(ctx: ProbeContext, ns: ProbeNamespace, discovery: CeleryDiscovery, events: CeleryEventState | null, previous: ProbeReading | null): Promise<ProbeReading> {
  const lastUnacked = typeof previous?.memo?.unackedCount === 'number' ? previous.memo.unackedCount : null;
  const readUnacked = lastUnacked === null || lastUnacked <= unackedReadCap;
  const batch = await readBatch(ctx, discovery, readUnacked);
  const errors = batch.errors;
  let membershipChanged = batch.bindingsChanged;
  const { unackedCount } = batch;
  let split: ReturnType<typeof splitUnacked> | null = null;
  let unackedWhy: string | null = null;
  if (unackedCount === null) unackedWhy = `${ns.prefix}unacked could not be read`;
  // Above the cap the split is not given even when the read happened to fit: a figure that
  // alternates between a number and null from poll to poll would mislead more than a steady null.
  else if (unackedCount > 0 && (batch.unackedEntries === null || unackedCount > unackedReadCap)) {
    unackedWhy = `${unackedCount} messages are taken but unacknowledged across all queues (${ns.prefix}unacked); `
      + (unackedCount <= unackedReadCap
        ? 'they did not fit one bounded read this time (the hash is still sized for more)'
        : `above ${unackedReadCap} they are not split by queue on every poll`);
  } else if (unackedCount > 0) {
    split = splitUnacked(batch.unackedEntries!, discovery, ctx.now, runningIds(events));
    errors.push(...split.errors);
    if (split.errors.length) unackedWhy = `${split.errors.length} entries of ${ns.prefix}unacked could not be decoded and are not counted`;
  }
  const ev = eventFigures({
    state: events, queues: discovery.queues.map((q) => q.name), waiting: batch.waiting,
    connection: ctx.connectionId, now: ctx.now, rateWindowMs: ctx.rateWindowMs, workerHints: discovery.workerHints,
    heldRetried: unackedCount === 0 ? new Map() : split?.retried ?? null,
  });
  // Queues heard of (events, unacked) but not discovered: rediscover once per new name, not on
  // every poll, since a routing key that no table binds would otherwise rediscover forever.
  const unknown = [...new Set([...ev.unknownQueues, ...(split?.unknownRoutes ?? [])])].sort();
  const seenBefore = new Set(Array.isArray(previous?.memo?.unknown) ? previous.memo.unknown as string[] : []);
  if (unknown.some((name) => !seenBefore.has(name))) membershipChanged = true;
  const queues: QueueReading[] = discovery.queues.map((q) => {
    const e = ev.perQueue.get(q.name)!;
    const notes = { ...e.notes };
    notes.dead = 'Celery keeps no dead-letter set';
    const waiting = batch.waiting.get(q.name) ?? null;
    if (waiting === null) notes.waiting = `${q.name} could not be read`;
    const counts = unackedCount === 0 ? { reserved: 0, scheduled: 0 } : split?.perQueue.get(q.name) ?? null;
    if (!counts || unackedWhy) notes.reserved = notes.scheduled = unackedWhy ?? 'unknown';
    const reading: QueueReading = {
      queue: q.name, waiting, scheduled: counts?.scheduled ?? null, reserved: counts?.reserved ?? null,
      running: e.running, failed: e.failed, dead: null, retrying: e.retrying,
      oldestWaitingAt: e.oldestWaitingAt, workers: e.workers, notes,
    };
    if (e.finished) reading.finished = e.finished;
    return reading;
  });
  const reading: ProbeReading = {
    takenAt: ctx.now, queues, workers: ev.workers, errors, memo: { unackedCount, unknown },
  };
  if (batch.degraded) reading.degraded = batch.degraded;
  if (membershipChanged) reading.membershipChanged = true;
  return reading;
}

/** Tasks heard starting and not finishing: under task_acks_late their messages are still unacked. */
function runningIds(events: CeleryEventState | null): Set<string> {
  const ids = new Set<string>();
  if (events) for (const task of events.tasks.values()) if (task.phase === 'started') ids.add(task.id);
  return ids;
}
