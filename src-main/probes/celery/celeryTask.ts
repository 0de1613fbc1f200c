import type { TaskDetail } from '../../contract/task.js';
import { isUndecodable } from '../shared/pickle.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { discoverCelery } from './celeryDiscover.js';
import type { CeleryEventState } from './celeryEventState.js';
import { resultKey, resultPrefixes } from './celeryKeys.js';
import { searchMessage, type FoundMessage } from './celeryMessageSearch.js';
import { decodeResultMeta, type ResultMeta } from './celeryResultMeta.js';
import { combineTask } from './celeryTaskDetail.js';

/**
 * A task by id, on demand. The result backend is read first (binary-safe GET, JSON or pickle);
 * unless it holds a final state, the broker is searched for the task's message (O(n), on demand
 * only), and the events heard add times, worker and retries.
 */
export async function getCeleryTask(ctx: ProbeContext, ns: ProbeNamespace, id: string, events: CeleryEventState | null): Promise<TaskDetail | null> {
  const backend = ctx.resultBackend ?? ctx.redis;
  const keys = resultPrefixes(ctx.config.resultKeyPrefix).map((p) => resultKey(p, id));
  const replies = await backend.batch(keys.map((key) => ({ cmd: 'GET', args: [key], binary: true })));
  let meta: ResultMeta | null = null;
  let undecodable = null;
  for (const reply of replies) {
    if (!Buffer.isBuffer(reply)) continue;
    const decoded = decodeResultMeta(reply);
    if (decoded && isUndecodable(decoded)) undecodable = decoded;
    else if (decoded) meta = decoded;
    if (meta) break;
  }
  const event = events?.tasks.get(id) ?? null;
  const final = meta?.status === 'SUCCESS' || meta?.status === 'FAILURE' || meta?.status === 'REVOKED'
    || event?.phase === 'succeeded' || event?.phase === 'failed' || event?.phase === 'revoked';
  let message: FoundMessage | null = null;
  if (!final) message = (await searchMessage(ctx, await discoverCelery(ctx, ns), id)).found;
  const detail = combineTask(id, ctx.connectionId, ctx.now, { meta, message, event });
  if (!detail && undecodable) {
    return {
      id, framework: 'celery', connection: ctx.connectionId, queue: null, name: null, description: null, state: 'unknown',
      args: null, kwargs: null, enqueuedAt: null, startedAt: null, finishedAt: null, worker: null, retries: null,
      result: undecodable, error: null, sources: ['result backend'],
    };
  }
  return detail;
}
