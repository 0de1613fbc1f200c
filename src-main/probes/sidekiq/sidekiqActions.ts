import type { ApiError } from '../../contract/errors.js';
import type { TaskActionRequest } from '../../contract/taskList.js';
import type { ProbeNamespace, ProbeWriteContext } from '../probe.js';
import { sidekiqKeys } from './sidekiqKeys.js';

/** Entries read at most when looking for a job by jid (its list, then each set). */
const findLimit = 100_000;
const chunk = 1000;

/**
 * Sidekiq's own write operations (sidekiq/api.rb, 6.4 live; the same calls in 7.x and 8.x):
 * - delete = `JobRecord#delete` (LREM 1 of the exact JSON from its queue) or `SortedEntry#delete`
 *   (ZREM of the exact JSON from schedule, retry or dead);
 * - retry  = `SortedEntry#retry` of a retry or dead entry: removed from its set (refused when it
 *   is already gone), `retry_count` one lower, and pushed as `Sidekiq::Client.push` does
 *   (`enqueued_at` now, in the job's own unit: float seconds up to 7.x, ms from 8.0; SADD queues;
 *   LPUSH queue:<q>), atomically;
 * - purge  = `Queue#clear`: the list deleted and the name removed from `queues`, in one transaction.
 */
const retryScript = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('LPUSH', KEYS[3], ARGV[2])
return 1`;

export async function runSidekiqAction(ctx: ProbeWriteContext, ns: ProbeNamespace, request: TaskActionRequest): Promise<{ done: string; affectedCount: number }> {
  const keys = sidekiqKeys(ns.prefix);
  const { writer } = ctx;
  const queueKey = keys.queue(request.queue);
  if (request.action === 'purge') {
    const [count] = await writer.transaction([
      { cmd: 'LLEN', args: [queueKey] }, { cmd: 'DEL', args: [queueKey] }, { cmd: 'SREM', args: [keys.queues, request.queue] },
    ]);
    const n = typeof count === 'number' ? count : 0;
    return { done: `cleared Sidekiq queue ${request.queue}: ${n} job${n === 1 ? '' : 's'} deleted`, affectedCount: n };
  }
  const jid = request.id!;
  const found = await find(ctx, keys, queueKey, jid, request.queue);
  if (!found) throw { code: 'TASK_NOT_FOUND', detail: `no Sidekiq job ${jid} of queue ${request.queue} in the queue, schedule, retry or dead` } satisfies ApiError;
  if (request.action === 'delete') {
    const [removed] = await writer.transaction([found.where === 'queue' ? { cmd: 'LREM', args: [queueKey, 1, found.value] } : { cmd: 'ZREM', args: [keys[found.where], found.value] }]);
    if (removed !== 1) throw { code: 'BAD_USAGE', detail: `Sidekiq job ${jid} left ${found.where} while it was looked for` } satisfies ApiError;
    return { done: `deleted Sidekiq job ${jid} from ${found.where === 'queue' ? `queue ${request.queue}` : found.where}`, affectedCount: 1 };
  }
  if (found.where !== 'retry' && found.where !== 'dead') {
    throw { code: 'BAD_USAGE', detail: `Sidekiq job ${jid} is in ${found.where}: only retry and dead entries are retried` } satisfies ApiError;
  }
  const message = JSON.parse(found.value) as Record<string, unknown>;
  if (typeof message.retry_count === 'number') message.retry_count -= 1;
  // Sidekiq 8 writes epoch ms integers; up to 7.x, float seconds: follow the job's own created_at.
  const created = typeof message.created_at === 'number' ? message.created_at : null;
  message.enqueued_at = created !== null && created > 1e11 ? ctx.now : ctx.now / 1000;
  const pushed = await writer.script(retryScript, [keys[found.where], keys.queues, queueKey], [found.value, JSON.stringify(message), request.queue]);
  if (pushed !== 1) throw { code: 'BAD_USAGE', detail: `Sidekiq job ${jid} left ${found.where} while it was retried` } satisfies ApiError;
  return { done: `retried Sidekiq job ${jid} from ${found.where}: pushed to queue ${request.queue}`, affectedCount: 1 };
}

type Where = 'queue' | 'schedule' | 'retry' | 'dead';

async function find(ctx: ProbeWriteContext, keys: ReturnType<typeof sidekiqKeys>, queueKey: string, jid: string, queue: string): Promise<{ where: Where; value: string } | null> {
  const mine = (text: string) => {
    if (!text.includes(jid)) return false;
    try {
      const job = JSON.parse(text) as { jid?: unknown; queue?: unknown };
      return job.jid === jid && job.queue === queue;
    } catch {
      return false;
    }
  };
  for (let start = 0; start < findLimit; start += chunk) {
    const [reply] = await ctx.writer.read([{ cmd: 'LRANGE', args: [queueKey, start, start + chunk - 1] }]);
    if (!Array.isArray(reply) || reply.length === 0) break;
    const hit = reply.map(String).find(mine);
    if (hit) return { where: 'queue', value: hit };
    if (reply.length < chunk) break;
  }
  for (const where of ['retry', 'dead', 'schedule'] as const) {
    let cursor = '0';
    let read = 0;
    do {
      const [reply] = await ctx.writer.read([{ cmd: 'ZSCAN', args: [keys[where], cursor, 'MATCH', `*${jid.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`, 'COUNT', chunk] }]);
      if (!Array.isArray(reply)) break;
      cursor = String(reply[0]);
      const members = Array.isArray(reply[1]) ? reply[1].map(String) : [];
      for (let i = 0; i < members.length; i += 2) if (mine(members[i]!)) return { where, value: members[i]! };
      read += chunk;
    } while (cursor !== '0' && read < findLimit);
  }
  return null;
}
