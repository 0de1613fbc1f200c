import type { TaskDetail } from '../../../contract/task.js';
import type { RabbitProbeContext, RabbitProbeState } from '../../rabbitProbe.js';
import { isUndecodable } from '../../shared/pickle.js';
import type { CeleryEventState } from '../celeryEventState.js';
import { resultKey, resultPrefixes } from '../celeryKeys.js';
import { decodeResultMeta, type ResultMeta } from '../celeryResultMeta.js';
import { combineTask } from '../celeryTaskDetail.js';
import type { CeleryRabbitDiscovery } from './celeryRabbitDiscovery.js';

/**
 * A task by id on RabbitMQ: from the events heard, and from a Redis result backend when one is
 * configured (`--celery-backend`). The broker's queues are not searched: a message can only be
 * read on RabbitMQ by taking it off the queue (the management API's "get messages" requeues it,
 * which moves it and marks it redelivered), and a poll never does that.
 */
export async function getCeleryRabbitTask(ctx: RabbitProbeContext, id: string, state: RabbitProbeState<CeleryRabbitDiscovery, CeleryEventState>): Promise<TaskDetail | null> {
  let meta: ResultMeta | null = null;
  let undecodable = null;
  if (ctx.resultBackend) {
    const keys = resultPrefixes(ctx.config.resultKeyPrefix).map((p) => resultKey(p, id));
    const replies = await ctx.resultBackend.batch(keys.map((key) => ({ cmd: 'GET', args: [key], binary: true })));
    for (const reply of replies) {
      if (!Buffer.isBuffer(reply)) continue;
      const decoded = decodeResultMeta(reply);
      if (decoded && isUndecodable(decoded)) undecodable = decoded;
      else if (decoded) meta = decoded;
      if (meta) break;
    }
  }
  const event = state.events?.tasks.get(id) ?? null;
  const detail = combineTask(id, ctx.connectionId, ctx.now, { meta, message: null, event });
  if (!detail && undecodable) {
    return {
      id, framework: 'celery', connection: ctx.connectionId, queue: null, name: null, description: null, state: 'unknown',
      args: null, kwargs: null, enqueuedAt: null, startedAt: null, finishedAt: null, worker: null, retries: null,
      result: undecodable, error: null, sources: ['result backend'],
    };
  }
  if (detail && detail.queue === null && event?.worker) {
    // Without task-sent, the queue is the one its worker consumes, when it consumes only one.
    const list = state.discovery?.workerQueues.get(event.worker);
    if (list?.length === 1) detail.queue = list[0]!;
  }
  return detail;
}
