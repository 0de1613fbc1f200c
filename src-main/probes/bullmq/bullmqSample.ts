import type { FinishedSample, FinishedTask } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import type { BullmqDiscovery } from './bullmqDiscovery.js';
import { bullmqKeys } from './bullmqKeys.js';
import { asInt, asList, asText, asTexts, numberOf, type Slot } from './bullmqReplies.js';

/** Newest entries read per completed/failed set and events read per stream: the bounds of a sample. */
export const sampleLimits = { perSet: 500, events: 2000 };
const jobFields = ['timestamp', 'delay', 'processedOn', 'finishedOn', 'opts'] as const;
const perQueue = 4;

interface Finish { id: string; at: number; succeeded: boolean; activeAt: number | null }

/**
 * Recently finished jobs per queue (README.md "Sample"). Two sources, joined: the completed and
 * failed sets (score = finishedOn ms; newest first, bounded) and the events stream's `completed` /
 * `failed` entries (id = ms), which still tell a finish that `removeOnComplete`/`removeOnFail`
 * removed from the sets. A retried attempt is not a failure: BullMQ writes `failed` (set and
 * event) only once the attempts are exhausted. Each source is complete from its own bound; the
 * sample is complete from the later of the two kinds' bounds. Two batches: ids, then job hashes.
 */
export async function sampleBullmq(ctx: ProbeContext, ns: ProbeNamespace, discovery: BullmqDiscovery): Promise<FinishedSample[]> {
  const windowStart = ctx.now - ctx.rateWindowMs;
  const { queues } = discovery;
  const first = await ctx.redis.batch(queues.flatMap((q): RedisCommand[] => {
    const k = bullmqKeys(ns.prefix, q);
    return [
      { cmd: 'ZREVRANGEBYSCORE', args: [k.completed, '+inf', windowStart, 'WITHSCORES', 'LIMIT', 0, sampleLimits.perSet] },
      { cmd: 'ZREVRANGEBYSCORE', args: [k.failed, '+inf', windowStart, 'WITHSCORES', 'LIMIT', 0, sampleLimits.perSet] },
      { cmd: 'XREVRANGE', args: [k.events, '+', windowStart, 'COUNT', sampleLimits.events] },
      { cmd: 'XLEN', args: [k.events] },
    ];
  }));
  const perQueueIds = queues.map((q, i) => {
    const sets = [pairsOf(first[i * perQueue]), pairsOf(first[i * perQueue + 1])];
    const events = finishesOf(first[i * perQueue + 2]);
    const ids = [...new Set([...sets.flat().map(([id]) => id), ...events.finishes.map((f) => f.id)])];
    return { q, sets, events, ids };
  });
  const hashCommands: RedisCommand[] = perQueueIds.flatMap(({ q, ids }) =>
    ids.map((id) => ({ cmd: 'HMGET', args: [bullmqKeys(ns.prefix, q).job(id), ...jobFields] })));
  const hashes = hashCommands.length ? await ctx.redis.batch(hashCommands) : [];

  let at = 0;
  return perQueueIds.map(({ q, sets, events, ids }, i) => {
    const fields = new Map(ids.map((id, j) => [id, asTexts(hashes[at + j]) ?? []]));
    at += ids.length;
    const streamLength = asInt(first[i * perQueue + 3]) ?? 0;
    // The stream is approx-trimmed to maxLenEvents: at the cap, its oldest entries are gone.
    const eventsCut = events.read >= sampleLimits.events || streamLength >= (discovery.maxLenEvents[q] ?? 10_000);
    const eventsFrom = eventsCut ? events.oldestAt + 1 : windowStart;
    const tasks = new Map<string, FinishedTask>();
    const from = [true, false].map((succeeded, s) => {
      const list = sets[s]!;
      const cut = list.length >= sampleLimits.perSet;
      const lowest = list.at(-1)?.[1] ?? Infinity;
      let setFrom = cut ? lowest + 1 : windowStart;
      for (const [id, score] of list) {
        if (cut && score === lowest) continue;
        const [created, delay, processedOn, finishedOn, opts] = fields.get(id) ?? [];
        if (removesFinished(opts ?? null, succeeded)) setFrom = Math.max(setFrom, list.at(-1)![1]);
        tasks.set(`${succeeded}:${id}`, taskOf(created, delay, processedOn, numberOf(finishedOn) ?? score, succeeded, null));
      }
      for (const f of events.finishes) {
        if (f.succeeded !== succeeded || tasks.has(`${succeeded}:${f.id}`)) continue;
        // A finish the set no longer holds: removed (removeOnComplete/removeOnFail), so the set proves nothing.
        if (f.at >= setFrom) setFrom = Infinity;
        const [created, delay, processedOn, finishedOn] = fields.get(f.id) ?? [];
        tasks.set(`${succeeded}:${f.id}`, taskOf(created, delay, processedOn, numberOf(finishedOn) ?? f.at, succeeded, f.activeAt));
      }
      return Math.min(setFrom, eventsFrom);
    });
    const fromAt = Math.max(windowStart, ...from);
    return {
      queue: q, fromAt, toAt: ctx.now, source: 'timestamps', truncated: fromAt > windowStart,
      tasks: [...tasks.values()].filter((t) => t.finishedAt >= fromAt && t.finishedAt <= ctx.now).sort((a, b) => a.finishedAt - b.finishedAt),
    };
  });
}

/** Enqueue = when the job became ready (`timestamp + delay`), start = its latest attempt's `processedOn`. */
function taskOf(created: string | null | undefined, delay: string | null | undefined, processedOn: string | null | undefined, finishedAt: number, succeeded: boolean, activeAt: number | null): FinishedTask {
  const createdAt = numberOf(created);
  return {
    enqueuedAt: createdAt === null ? null : createdAt + (numberOf(delay) ?? 0),
    startedAt: numberOf(processedOn) ?? activeAt,
    finishedAt,
    succeeded,
  };
}

/** Whether a job's opts make BullMQ remove it (or older ones) from the completed/failed set. */
function removesFinished(opts: string | null, succeeded: boolean): boolean {
  if (!opts) return false;
  try {
    const value = (JSON.parse(opts) as Record<string, unknown>)[succeeded ? 'removeOnComplete' : 'removeOnFail'];
    return value !== undefined && value !== false;
  } catch {
    return false;
  }
}

/** ZREVRANGEBYSCORE … WITHSCORES as [id, score] pairs. */
function pairsOf(reply: Slot): [string, number][] {
  const flat = asTexts(reply) ?? [];
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] ?? '', Number(flat[i + 1])]);
  return out;
}

/** `completed`/`failed` entries of an XREVRANGE (newest first), each with its latest `active` before it. */
function finishesOf(reply: Slot): { finishes: Finish[]; read: number; oldestAt: number } {
  const entries = asList(reply) ?? [];
  const finishes: Finish[] = [];
  const activeAt = new Map<string, number>();
  let oldestAt = Infinity;
  for (const entry of [...entries].reverse()) {
    const [idReply, fieldsReply] = asList(entry) ?? [];
    const at = Number((asText(idReply) ?? '').split('-')[0]);
    if (!Number.isFinite(at)) continue;
    oldestAt = Math.min(oldestAt, at);
    const flat = asTexts(fieldsReply) ?? [];
    const fields = new Map<string, string | null>();
    for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] ?? '', flat[i + 1] ?? null);
    const event = fields.get('event');
    const jobId = fields.get('jobId');
    if (!jobId) continue;
    if (event === 'active') activeAt.set(jobId, at);
    else if (event === 'completed' || event === 'failed') finishes.push({ id: jobId, at, succeeded: event === 'completed', activeAt: activeAt.get(jobId) ?? null });
  }
  return { finishes, read: entries.length, oldestAt };
}
