import type { FinishedSample, FinishedTask } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext } from '../probe.js';
import { parseIsoTime } from '../shared/time.js';
import { rqKeys } from './rqKeys.js';
import { asTexts } from './rqReplies.js';

/** The most recent ids read per registry: the bound that keeps a sample O(1) in queue length. */
export const sampleLimit = 500;
/** RQ's defaults (rq/defaults.py): how long a finished job's, a failed job's hash and entry live. */
const defaultTtlS = { finished: 500, failed: 365 * 24 * 3600 };
const jobFields = ['enqueued_at', 'started_at', 'ended_at', 'result_ttl', 'failure_ttl'] as const;

/**
 * Recently finished jobs per queue, for rates and latencies over `ctx.rateWindowMs`. Registry
 * scores are expiry times (end + result_ttl or failure_ttl), so the newest entries are read by
 * score, and each job's own `ended_at` places it in time. A finished job vanishes after its
 * result_ttl (500 s by default, shorter than the 10-minute window), so the window reported is
 * the span the sample really covers. Two batches: the ids, then their hashes.
 */
export async function sampleRq(ctx: ProbeContext, queues: readonly string[], limit = sampleLimit): Promise<FinishedSample[]> {
  const nowS = Math.floor(ctx.now / 1000);
  const idCommands: RedisCommand[] = queues.flatMap((q) => [rqKeys.finished(q), rqKeys.failed(q)].map((key) => (
    { cmd: 'ZREVRANGEBYSCORE', args: [key, '+inf', `(${nowS}`, 'LIMIT', 0, limit] })));
  const idReplies = await ctx.redis.batch(idCommands);
  const ids = idReplies.map((r) => asTexts(r) ?? []);
  const hashCommands: RedisCommand[] = ids.flat().map((id) => ({ cmd: 'HMGET', args: [rqKeys.job(id), ...jobFields] }));
  const hashReplies = hashCommands.length ? await ctx.redis.batch(hashCommands) : [];

  let at = 0;
  return queues.map((q, qi) => {
    let fromAt = ctx.now - ctx.rateWindowMs;
    let truncated = false;
    const tasks: FinishedTask[] = [];
    for (const succeeded of [true, false]) {
      const list = ids[qi * 2 + (succeeded ? 0 : 1)]!;
      const fallbackTtlS = succeeded ? defaultTtlS.finished : defaultTtlS.failed;
      let minTtlS = Infinity;
      let oldestEnd = Infinity;
      for (let i = 0; i < list.length; i += 1) {
        const [enqueued, started, ended, resultTtl, failureTtl] = asTexts(hashReplies[at + i]) ?? [];
        const ttl = succeeded ? resultTtl : failureTtl;
        minTtlS = Math.min(minTtlS, ttl && /^\d+$/.test(ttl) ? Number(ttl) : fallbackTtlS);
        const finishedAt = parseIsoTime(ended);
        if (finishedAt === null) continue;
        oldestEnd = Math.min(oldestEnd, finishedAt);
        tasks.push({ enqueuedAt: parseIsoTime(enqueued), startedAt: parseIsoTime(started), finishedAt, succeeded });
      }
      at += list.length;
      // A job older than its TTL is gone from the registry: the sample covers only that span.
      fromAt = Math.max(fromAt, ctx.now - (Number.isFinite(minTtlS) ? minTtlS : fallbackTtlS) * 1000);
      if (list.length >= limit) {
        truncated = true;
        if (Number.isFinite(oldestEnd)) fromAt = Math.max(fromAt, oldestEnd);
      }
    }
    return { queue: q, fromAt, toAt: ctx.now, source: 'timestamps', truncated,
      tasks: tasks.filter((t) => t.finishedAt >= fromAt && t.finishedAt <= ctx.now).sort((a, b) => a.finishedAt - b.finishedAt) };
  });
}
