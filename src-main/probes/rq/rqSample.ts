import type { FinishedSample, FinishedTask } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext } from '../probe.js';
import { parseIsoTime } from '../shared/time.js';
import { rqKeys } from './rqKeys.js';
import { asTexts, type Slot } from './rqReplies.js';

/** The most recent ids read per registry: the bound that keeps a sample O(1) in queue length. */
export const sampleLimit = 500;
/** RQ's defaults (rq/defaults.py): how long a finished job's, a failed job's hash and entry live. */
const defaultTtlS = { finished: 500, failed: 365 * 24 * 3600 };
const jobFields = ['enqueued_at', 'started_at', 'ended_at', 'result_ttl', 'failure_ttl'] as const;

/**
 * Recently finished jobs per queue, for rates and latencies over `ctx.rateWindowMs`. Registry
 * scores are expiry times (whole seconds of the end + result_ttl or failure_ttl), so the newest
 * entries are read by score, and each job's own `ended_at` places it in time. A finished job
 * vanishes after its result_ttl (500 s by default, shorter than the 10-minute window), so the
 * window reported is the span the sample really covers. Two batches: ids, then their hashes.
 */
export async function sampleRq(ctx: ProbeContext, queues: readonly string[], limit = sampleLimit): Promise<FinishedSample[]> {
  const nowS = Math.floor(ctx.now / 1000);
  const registries = queues.flatMap((q) => [{ q, key: rqKeys.finished(q), succeeded: true }, { q, key: rqKeys.failed(q), succeeded: false }]);
  const idReplies = await ctx.redis.batch(registries.map(({ key }) => (
    { cmd: 'ZREVRANGEBYSCORE', args: [key, '+inf', `(${nowS}`, 'WITHSCORES', 'LIMIT', 0, limit] })));
  const entries = idReplies.map(pairsOf);
  const hashCommands: RedisCommand[] = entries.flat().map(([id]) => ({ cmd: 'HMGET', args: [rqKeys.job(id), ...jobFields] }));
  const hashReplies = hashCommands.length ? await ctx.redis.batch(hashCommands) : [];

  const samples = new Map<string, FinishedSample>(queues.map((q) => [q, {
    queue: q, fromAt: ctx.now - ctx.rateWindowMs, toAt: ctx.now, source: 'timestamps', truncated: false, tasks: [],
  }]));
  let at = 0;
  registries.forEach(({ q, succeeded }, r) => {
    const sample = samples.get(q)!;
    const list = entries[r]!;
    const read = readRegistry(list, hashReplies.slice(at, at + list.length), succeeded, list.length >= limit);
    at += list.length;
    sample.fromAt = Math.max(sample.fromAt, ctx.now - read.keptForMs, read.completeFrom);
    sample.truncated ||= list.length >= limit;
    sample.tasks.push(...read.tasks);
  });
  for (const sample of samples.values()) {
    sample.tasks = sample.tasks.filter((t) => t.finishedAt >= sample.fromAt && t.finishedAt <= ctx.now)
      .sort((a, b) => a.finishedAt - b.finishedAt);
  }
  return [...samples.values()];
}

/**
 * One registry's entries (newest expiry first) and their hashes. When the read stopped at the
 * bound, entries tied on the lowest score may be cut, so they are left out and the sample is
 * complete only from the oldest finish among those kept.
 */
function readRegistry(list: [string, number][], hashes: Slot[], succeeded: boolean, cut: boolean) {
  const fallbackTtlS = succeeded ? defaultTtlS.finished : defaultTtlS.failed;
  const lowest = list.length ? list[list.length - 1]![1] : Infinity;
  let minTtlS = Infinity;
  const all: { task: FinishedTask; score: number }[] = [];
  list.forEach(([, score], i) => {
    const [enqueued, started, ended, resultTtl, failureTtl] = asTexts(hashes[i]) ?? [];
    const ttl = succeeded ? resultTtl : failureTtl;
    minTtlS = Math.min(minTtlS, ttl && /^\d+$/.test(ttl) ? Number(ttl) : fallbackTtlS);
    const finishedAt = parseIsoTime(ended);
    if (finishedAt !== null) all.push({ task: { enqueuedAt: parseIsoTime(enqueued), startedAt: parseIsoTime(started), finishedAt, succeeded }, score });
  });
  let kept = cut ? all.filter((e) => e.score > lowest) : all;
  if (kept.length === 0) kept = all; // every entry tied on one second: keep them, the sample says it is truncated
  const tasks = kept.map((e) => e.task);
  const completeFrom = cut && tasks.length ? Math.min(...tasks.map((t) => t.finishedAt)) : -Infinity;
  return { tasks, completeFrom, keptForMs: (Number.isFinite(minTtlS) ? minTtlS : fallbackTtlS) * 1000 };
}

/** ZREVRANGEBYSCORE … WITHSCORES as [id, score] pairs. */
function pairsOf(reply: Slot): [string, number][] {
  const flat = asTexts(reply) ?? [];
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1] === '+inf' || flat[i + 1] === 'inf' ? Infinity : Number(flat[i + 1])]);
  return out;
}
