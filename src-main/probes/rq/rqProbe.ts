import type { ProbeContext, ProbeNamespace, QueueProbe } from '../probe.js';
import { discoverRq, type RqDiscovery } from './rqDiscovery.js';
import { rqKeys } from './rqKeys.js';
import { pollRq } from './rqPoll.js';
import { asInt, failureOf } from './rqReplies.js';
import { sampleRq } from './rqSample.js';
import { getRqTask } from './rqTask.js';
import { listRqTasks } from './rqListTasks.js';
import { runRqAction } from './rqActions.js';

export type { RqDiscovery } from './rqDiscovery.js';

/**
 * RQ (python-rq) on one Redis database. RQ has no key prefix and no events: everything is read
 * from its keys (README.md holds the layout per version and the why of each quirk). Nothing is
 * written, and RQ's own count helpers are never imitated by running their cleanup.
 */
export const rqProbe: QueueProbe<RqDiscovery, null> = {
  framework: 'rq',
  capabilities: { workers: true, taskDetail: true },

  async detect(ctx: ProbeContext): Promise<ProbeNamespace[]> {
    if (ctx.config.enabled === false) return [];
    const [found] = await ctx.redis.batch([{ cmd: 'EXISTS', args: [rqKeys.queues, rqKeys.workers] }]);
    if (found instanceof Error) throw failureOf(found, 'RQ detection (EXISTS rq:queues rq:workers)');
    if ((asInt(found) ?? 0) === 0) return [];
    return [{ framework: 'rq', db: ctx.redis.db, prefix: '', source: 'detected from rq:queues / rq:workers' }];
  },

  discover: (ctx) => discoverRq(ctx),
  poll: (ctx, _ns, discovery, _events, previous) => pollRq(ctx, discovery, previous),
  sample: (ctx, _ns, discovery) => sampleRq(ctx, discovery.queues),
  getTask: (ctx, _ns, id) => getRqTask(ctx, id),
  listTasks: (ctx, _ns, discovery, _events, query) => listRqTasks(ctx, discovery.queues, query),
  runAction: (ctx, _ns, _discovery, request) => runRqAction(ctx, request),
};
