import { deflateSync } from 'node:zlib';
import type { ApiError } from '../../contract/errors.js';
import type { TaskActionRequest } from '../../contract/taskList.js';
import type { ProbeWriteContext } from '../probe.js';
import { rqKeys } from './rqKeys.js';
import { asInt, asTexts } from './rqReplies.js';

/**
 * RQ's own write operations, command for command (rq 1.13 registry.py, job.py, queue.py; the
 * same in 2.x for these keys), so that RQ reads the result as if it had done it itself:
 * - retry  = `FailedJobRegistry.requeue`: ZREM from failed (refused when not there), then the
 *   job saved with started_at, ended_at and exc_info cleared, status queued, enqueued_at now,
 *   its queue added to `rq:queues` and the id RPUSHed; the job's expiry is left as RQ leaves it;
 * - delete = `Job.delete()`: LREM from its queue, ZREM from the registry of its status, DEL of
 *   the hash, `:dependents` and `::…:dependencies` (the double colon is RQ's);
 * - purge  = `Queue.empty()`: RQ's own Lua script (LPOP each id, DEL its hash and dependents).
 */

const requeueScript = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'status', 'queued', 'origin', ARGV[2], 'enqueued_at', ARGV[3], 'started_at', '', 'ended_at', '', 'exc_info', ARGV[4])
redis.call('SADD', KEYS[3], KEYS[4])
redis.call('RPUSH', KEYS[4], ARGV[1])
return 1`;

/** RQ's Queue.empty() script, verbatim but for the prefix. */
const emptyScript = `
local prefix = "rq:job:"
local q = KEYS[1]
local count = 0
while true do
  local job_id = redis.call("lpop", q)
  if job_id == false then break end
  redis.call("del", prefix..job_id)
  redis.call("del", prefix..job_id..":dependents")
  count = count + 1
end
return count`;

/** Registry of each status, as `Job._remove_from_registries` picks it. */
const registryOf: Record<string, (q: string) => string> = {
  finished: rqKeys.finished,
  deferred: rqKeys.deferred,
  started: rqKeys.wip,
  scheduled: rqKeys.scheduled,
  failed: rqKeys.failed,
  stopped: rqKeys.failed,
  canceled: (q) => `rq:canceled:${q}`,
};

/** RQ's `utcformat`: `%Y-%m-%dT%H:%M:%S.%fZ` (microseconds). */
export function rqTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const refused = (detail: string): ApiError => ({ code: 'BAD_USAGE', detail });

export async function runRqAction(ctx: ProbeWriteContext, request: TaskActionRequest): Promise<{ done: string; affectedCount: number }> {
  const { writer } = ctx;
  const { queue, action } = request;
  if (action === 'purge') {
    const count = asInt(await writer.script(emptyScript, [rqKeys.queue(queue)], [])) ?? 0;
    return { done: `emptied RQ queue ${queue}: ${count} job${count === 1 ? '' : 's'} deleted`, affectedCount: count };
  }
  const id = request.id!;
  const [hash] = await writer.read([{ cmd: 'HMGET', args: [rqKeys.job(id), 'status', 'origin'] }]);
  const [status, origin] = asTexts(hash instanceof Error ? null : hash) ?? [null, null];
  if (!status && !origin) throw { code: 'TASK_NOT_FOUND', detail: `no RQ job "${id}"` } satisfies ApiError;
  if (origin !== queue) throw refused(`RQ job ${id} belongs to queue "${origin ?? '?'}", not "${queue}"`);
  if (action === 'retry') {
    const requeued = asInt(await writer.script(requeueScript,
      [rqKeys.failed(queue), rqKeys.job(id), rqKeys.queues, rqKeys.queue(queue)],
      [id, queue, rqTimestamp(ctx.now), deflateSync(Buffer.alloc(0))]));
    if (requeued !== 1) throw refused(`RQ job ${id} is not in the failed registry of ${queue} (status ${status ?? 'missing'}): only failed jobs are retried`);
    return { done: `requeued RQ job ${id} from the failed registry to ${queue}`, affectedCount: 1 };
  }
  if (status === 'started') throw refused(`RQ job ${id} is running: stop it first (rq's send_stop_job_command), then delete it`);
  const registry = registryOf[status ?? ''];
  await writer.transaction([
    { cmd: 'LREM', args: [rqKeys.queue(queue), 1, id] },
    ...(registry ? [{ cmd: 'ZREM', args: [registry(queue), id] }] : []),
    { cmd: 'DEL', args: [rqKeys.job(id), `rq:job:${id}:dependents`, `rq:job::${id}:dependencies`] },
  ]);
  return { done: `deleted RQ job ${id} (${status ?? 'no status'}) from ${queue}`, affectedCount: 1 };
}
