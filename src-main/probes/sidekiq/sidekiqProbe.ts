import { runSidekiqAction } from './sidekiqActions.js';
import { listSidekiqTasks } from './sidekiqListTasks.js';
import type { QueueProbe } from '../probe.js';
import { detectSidekiq } from './sidekiqDetect.js';
import { discoverSidekiq, type SidekiqDiscovery } from './sidekiqDiscover.js';
import { pollSidekiq } from './sidekiqPoll.js';
import { getSidekiqTask } from './sidekiqTask.js';

export type { SidekiqDiscovery } from './sidekiqDiscover.js';

/**
 * Sidekiq (6.x with or without a redis-namespace prefix, 7.x, 8.x) on one Redis database.
 * Sidekiq has no events: everything is read from its keys (README.md holds the layout per
 * version and the why of each quirk). Nothing is written: Sidekiq's own ProcessSet prunes
 * `processes` when it lists them, and that cleanup is never imitated.
 */
export const sidekiqProbe: QueueProbe<SidekiqDiscovery, null> = {
  framework: 'sidekiq',
  capabilities: { workers: true, taskDetail: true },
  detect: async (ctx) => (ctx.config.enabled === false ? [] : detectSidekiq(ctx)),
  discover: (ctx, ns) => discoverSidekiq(ctx, ns),
  poll: (ctx, ns, discovery, _events, previous) => pollSidekiq(ctx, ns, discovery, previous),
  getTask: (ctx, ns, id) => getSidekiqTask(ctx, ns, id),
  listTasks: (ctx, ns, discovery, _events, query) => listSidekiqTasks(ctx, ns, discovery.queues, query),
  runAction: (ctx, ns, _discovery, request) => runSidekiqAction(ctx, ns, request),
};
