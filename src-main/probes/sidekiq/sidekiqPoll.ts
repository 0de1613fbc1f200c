import type { FigureName } from '../../contract/figures.js';
import type { ItemError, ProbeReading, QueueReading } from '../../contract/snapshot.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import type { SidekiqDiscovery } from './sidekiqDiscover.js';
import { jobSets, sidekiqKeys, type JobSetName } from './sidekiqKeys.js';
import { parseJob } from './sidekiqJob.js';
import { countWorkers, planProcess, readProcesses, type ProcessReading } from './sidekiqProcesses.js';
import { BatchPlan, asInt, asText, asTexts, isNoPerm, type Slot } from './sidekiqReplies.js';
import { planSets, readSet, type SetReading } from './sidekiqSets.js';
import { deltaOf, nextPoints, sampleFromDelta, type CounterDelta, type CounterPoint } from './sidekiqThroughput.js';

/** What a poll hands the next one through `previous.memo` (JSON-safe). */
interface SidekiqMemo {
  counters: CounterPoint[];
  setTotals: Partial<Record<JobSetName, number>>;
  queuesOf: Record<string, string[]>;
}

const fixedNotes: Partial<Record<FigureName, string>> = {
  reserved: "Sidekiq's basic fetch pops a job straight into a running thread: there is no reserved state (Sidekiq Pro's super_fetch keeps one, not read here)",
  waitLatencyMs: 'Sidekiq keeps no record of finished jobs, only counters: no enqueue or start times to measure',
  runLatencyMs: 'Sidekiq keeps no record of finished jobs, only counters: no start or finish times to measure',
};

/**
 * One poll of one Sidekiq namespace in ONE pipelined batch of O(1) commands (the work hashes
 * and the small-set reads are bounded by the processes' concurrency and by `splitBound`, never
 * by the number of jobs). Membership comes from discovery; SCARD and SISMEMBER only tell whether
 * it changed.
 */
export async function pollSidekiq(
  ctx: ProbeContext, ns: ProbeNamespace, discovery: SidekiqDiscovery, previous: ProbeReading | null,
): Promise<ProbeReading> {
  const keys = sidekiqKeys(ns.prefix);
  const memo = (previous?.memo ?? null) as SidekiqMemo | null;
  const plan = new BatchPlan();
  const queueCount = plan.add('SCARD', keys.queues);
  const processCount = plan.add('SCARD', keys.processes);
  const counters = plan.add('MGET', keys.processed, keys.failed);
  const setSlots = planSets(plan, keys, memo?.setTotals ?? {});
  const queueSlots = discovery.queues.map((q) => ({ size: plan.add('LLEN', keys.queue(q)), tail: plan.add('LINDEX', keys.queue(q), -1) }));
  const processSlots = discovery.processes.map((p) => planProcess(plan, keys, p));
  const replies = await ctx.redis.batch(plan.commands);

  const errors: ItemError[] = [];
  const sets = Object.fromEntries(jobSets.map(({ set }) => [set, readSet(set, keys[set], setSlots[set], replies, errors)])) as Record<JobSetName, SetReading>;
  const processes = readProcesses(replies, processSlots, discovery.processes, keys, ctx.connectionId, ctx.now, { ...discovery.queuesOf, ...memo?.queuesOf });
  errors.push(...processes.errors);

  const [processedText, failedText] = asTexts(replies[counters]) ?? [];
  const processed = asInt(processedText ?? '0');
  const failed = asInt(failedText ?? '0');
  const points = processed !== null && failed !== null
    ? nextPoints(memo?.counters ?? [], { at: ctx.now, processed, failed }, ctx.rateWindowMs) : [];
  const delta = deltaOf(points);

  const only = discovery.queues.length === 1;
  const queues = discovery.queues.map((q, i): QueueReading => {
    const notes: Partial<Record<FigureName, string>> = { ...fixedNotes };
    const slot = queueSlots[i]!;
    const waiting = count(replies[slot.size], keys.queue(q), 'waiting', notes, errors);
    const reading: QueueReading = {
      queue: q,
      waiting,
      scheduled: fromSet(sets.schedule, q, only, 'scheduled', notes),
      reserved: null,
      running: processes.running.filter((j) => j.queue === q).length,
      failed: null,
      dead: fromSet(sets.dead, q, only, 'dead', notes),
      retrying: fromSet(sets.retry, q, only, 'retrying', notes),
      oldestWaitingAt: oldestOf(replies[slot.tail], waiting, keys.queue(q), notes, errors),
      workers: countWorkers(processes.workers, q),
      notes,
    };
    notes.failed = `Sidekiq keeps a failed job in the retry set (retrying) until its retries run out, then in the dead set (dead); stat:failed counts failed attempts${failed !== null ? ` (${failed} all-time)` : ''}, retries included`;
    throughputOf(reading, delta, processed, only, discovery.queues.length);
    workerNotes(reading, processes, q);
    return reading;
  });

  const reading: ProbeReading = {
    takenAt: ctx.now, queues, workers: processes.workers, errors,
    memo: { counters: points, queuesOf: processes.queuesOf, setTotals: Object.fromEntries(jobSets.flatMap(({ set }) => (sets[set].total === null ? [] : [[set, sets[set].total]]))) } satisfies SidekiqMemo,
  };
  const refused = replies.some(isNoPerm);
  const degraded = [discovery.degraded, refused ? 'Sidekiq: some keys may not be read by this user (NOPERM)' : undefined].filter(Boolean);
  if (degraded.length) reading.degraded = degraded.join('; ');
  const stillMembers = discovery.processes.length - processes.left.length;
  if (processes.left.length > 0
    || (asInt(replies[processCount]) ?? stillMembers) !== stillMembers
    || (asInt(replies[queueCount]) ?? discovery.registeredQueueCount) !== discovery.registeredQueueCount) reading.membershipChanged = true;
  return reading;
}

function count(reply: Slot, key: string, figure: FigureName, notes: Partial<Record<FigureName, string>>, errors: ItemError[]): number | null {
  const value = asInt(reply);
  if (value === null) {
    const message = reply instanceof Error ? reply.message : 'unexpected reply';
    if (!isNoPerm(reply)) errors.push({ item: key, message });
    notes[figure] = `${key} could not be read: ${message}`;
  }
  return value;
}

/** A queue's share of a namespace-wide set: exact when split, all of it for the only queue, else unknown. */
function fromSet(set: SetReading, q: string, only: boolean, figure: FigureName, notes: Partial<Record<FigureName, string>>): number | null {
  if (set.byQueue) return set.byQueue.get(q) ?? 0;
  if (set.total !== null && only) {
    notes[figure] = `${set.reason}: all attributed to this namespace's only queue`;
    return set.total;
  }
  notes[figure] = set.reason ?? 'unreadable';
  return null;
}

/** The job at the tail (LINDEX -1: the next to run, O(1)); its `enqueued_at` in s (≤7) or ms (8+). */
function oldestOf(reply: Slot, waiting: number | null, key: string, notes: Partial<Record<FigureName, string>>, errors: ItemError[]): number | null | undefined {
  if (reply instanceof Error) {
    notes.oldestWaitingAgeMs = `${key} could not be read: ${reply.message}`;
    return undefined;
  }
  const text = asText(reply);
  if (text === null) return waiting === 0 || waiting === null ? null : undefined;
  const job = parseJob(text);
  if (!job) {
    errors.push({ item: key, message: 'the oldest job is not JSON' });
    notes.oldestWaitingAgeMs = 'the oldest waiting job does not decode';
    return undefined;
  }
  if (job.enqueuedAt === null) notes.oldestWaitingAgeMs = `job ${job.jid ?? '?'} at the tail of ${key} has no enqueued_at`;
  return job.enqueuedAt ?? undefined;
}

/**
 * Throughput from the change of `stat:processed` (which counts failures too) between polls.
 * Sidekiq counts per namespace, not per queue: the rate belongs to a queue only when it is the
 * namespace's only one; otherwise the queue's figure is unknown and the note gives the total.
 */
function throughputOf(reading: QueueReading, delta: CounterDelta | null, processed: number | null, only: boolean, queueCount: number): void {
  const notes = reading.notes;
  if (processed === null) {
    notes.throughputPerMin = notes.successRatio = 'stat:processed could not be read';
    return;
  }
  if (!delta) {
    notes.throughputPerMin = notes.successRatio = 'needs a second poll: Sidekiq keeps only all-time counters (stat:processed, stat:failed), so throughput is their change between polls';
    return;
  }
  const seconds = Math.round((delta.toAt - delta.fromAt) / 1000);
  if (only) {
    reading.finished = sampleFromDelta(reading.queue, delta);
    notes.throughputPerMin = `from the change of stat:processed over ${seconds} s (Sidekiq adds to it once per heartbeat, every 5 s in 6.x and 10 s in 7+)`;
    notes.successRatio = `from stat:processed and stat:failed over ${seconds} s: counts attempts, so a job that failed and was retried counts as a failure once per attempt`;
    return;
  }
  const perMin = Math.round((delta.processed * 60_000 * 100) / (delta.toAt - delta.fromAt)) / 100;
  notes.throughputPerMin = `Sidekiq counts finished jobs for the whole namespace, not per queue: ${perMin}/min over all ${queueCount} queues (change of stat:processed over ${seconds} s)`;
  notes.successRatio = 'Sidekiq counts failures for the whole namespace, not per queue';
}

function workerNotes(reading: QueueReading, processes: ProcessReading, q: string): void {
  const quiet = processes.quiet.filter((id) => processes.workers.find((w) => w.name === id)?.queues?.includes(q));
  const parts: string[] = [];
  if (quiet.length) parts.push(`${quiet.length} online process${quiet.length === 1 ? ' is' : 'es are'} quiet (TSTP): alive but fetching no new jobs`);
  if (processes.orphaned > 0) parts.push(`${processes.orphaned} job${processes.orphaned === 1 ? '' : 's'} still listed by offline processes ${processes.orphaned === 1 ? 'is' : 'are'} not counted as running`);
  if (parts.length) reading.notes.workers = parts.join('; ');
}
