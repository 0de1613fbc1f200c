import type { QueueProbe } from '../probe.js';
import { detectBullmq } from './bullmqDetect.js';
import { discoverBullmq, type BullmqDiscovery } from './bullmqDiscovery.js';
import { pollBullmq } from './bullmqPoll.js';
import { sampleBullmq } from './bullmqSample.js';
import { getBullmqTask } from './bullmqTask.js';
import { listBullmqTasks } from './bullmqListTasks.js';

export type { BullmqDiscovery } from './bullmqDiscovery.js';

/**
 * BullMQ (5.x and 6.x layouts) on one Redis database, one namespace per key prefix. BullMQ has
 * no worker registry, no heartbeat and no pub/sub a monitor needs: counts come from its lists and
 * sets, workers from CLIENT LIST, rates from finish timestamps and the events stream (README.md).
 * Nothing is written: BullMQ's own count helpers (which may RPOP a legacy marker) are not called.
 */
export const bullmqProbe: QueueProbe<BullmqDiscovery, null> = {
  framework: 'bullmq',
  capabilities: { workers: true, taskDetail: true },
  detect: (ctx) => detectBullmq(ctx),
  discover: (ctx, ns) => discoverBullmq(ctx, ns),
  poll: (ctx, ns, discovery) => pollBullmq(ctx, ns, discovery),
  sample: (ctx, ns, discovery) => sampleBullmq(ctx, ns, discovery),
  getTask: (ctx, ns, id) => getBullmqTask(ctx, ns, id),
  listTasks: (ctx, ns, discovery, _events, query) => listBullmqTasks(ctx, ns, discovery.queues, query),
};
