import type { ApiError } from '../../contract/errors.js';
import type { TaskActionRequest } from '../../contract/taskList.js';
import type { ProbeWriteContext } from '../probe.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import { headlineOf, parseEnvelope } from './celeryEnvelope.js';

/** Messages read at most when looking for the one to delete. */
const deleteSearchLimit = 200_000;
const chunk = 1000;

/**
 * Celery's writes on a Redis broker, as kombu does them:
 * - purge  = `celery purge -Q <queue>` (kombu's Redis `Channel._purge`): for every priority list
 *   of the queue, LLEN then DEL, in one transaction; the messages counted are those removed;
 * - delete = a waiting message taken out of its list (LREM of its exact bytes), found by its task
 *   id. Celery itself has no such call (it would revoke); a task already taken by a worker
 *   (`unacked`) is not touched. Retrying a failed task would mean sending a new message with the
 *   app's own routing and serializer, which a monitor cannot do faithfully: not offered.
 */
export async function runCeleryAction(ctx: ProbeWriteContext, discovery: CeleryDiscovery, request: TaskActionRequest): Promise<{ done: string; affectedCount: number }> {
  const queue = discovery.queues.find((q) => q.name === request.queue);
  if (!queue) throw { code: 'QUEUE_NOT_FOUND', detail: `no Celery queue named "${request.queue}"` } satisfies ApiError;
  const { writer } = ctx;
  if (request.action === 'purge') {
    const replies = await writer.transaction(queue.keys.flatMap((key) => [{ cmd: 'LLEN', args: [key] }, { cmd: 'DEL', args: [key] }]));
    const count = replies.filter((_, i) => i % 2 === 0).reduce<number>((sum, r) => sum + (typeof r === 'number' ? r : 0), 0);
    return { done: `purged Celery queue ${queue.name}: ${count} message${count === 1 ? '' : 's'} removed`, affectedCount: count };
  }
  if (request.action !== 'delete') throw { code: 'BAD_USAGE', detail: `Celery offers no ${request.action} action` } satisfies ApiError;
  const id = request.id!;
  let read = 0;
  for (const key of queue.keys) {
    for (let start = 0; read < deleteSearchLimit; start += chunk) {
      const [reply] = await writer.read([{ cmd: 'LRANGE', args: [key, start, start + chunk - 1], binary: true }]);
      if (!Array.isArray(reply) || reply.length === 0) break;
      for (const item of reply) {
        read++;
        const raw = Buffer.isBuffer(item) ? item : Buffer.from(String(item));
        if (!raw.includes(id)) continue;
        const env = parseEnvelope(raw.toString('utf8'));
        if (!env || headlineOf(env).id !== id) continue;
        const [removed] = await writer.transaction([{ cmd: 'LREM', args: [key, 1, raw] }]);
        if (removed === 1) return { done: `deleted the waiting message of Celery task ${id} from ${queue.name}`, affectedCount: 1 };
        throw { code: 'BAD_USAGE', detail: `Celery task ${id} left ${queue.name} while it was looked for (a worker took it)` } satisfies ApiError;
      }
      if (reply.length < chunk) break;
    }
  }
  throw { code: 'TASK_NOT_FOUND', detail: `no waiting message of Celery task ${id} in ${queue.name}${read >= deleteSearchLimit ? ` (searched the first ${deleteSearchLimit})` : ''}; a task a worker has taken cannot be deleted` } satisfies ApiError;
}
