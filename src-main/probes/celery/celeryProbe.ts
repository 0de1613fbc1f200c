import type { QueueProbe } from '../probe.js';
import { detectCelery } from './celeryDetect.js';
import { discoverCelery } from './celeryDiscover.js';
import type { CeleryDiscovery } from './celeryDiscovery.js';
import type { CeleryEventState } from './celeryEventState.js';
import { celeryEvents } from './celeryEvents.js';
import { pollCelery } from './celeryPoll.js';
import { getCeleryTask } from './celeryTask.js';
import { listCeleryTasks } from './celeryListTasks.js';
import { runCeleryAction } from './celeryActions.js';

export type { CeleryDiscovery, CeleryEventState };

/**
 * Celery on a Redis broker (kombu's Redis transport), with its Redis result backend. Counts come
 * from the broker's lists and `unacked` hash; everything a worker does (running, finished,
 * failed, retried, liveness) comes only from the events it publishes, which the monitor hears on
 * pub/sub and folds with `events`. Key layouts and quirks: README.md in this folder.
 */
export const celeryProbe: QueueProbe<CeleryDiscovery, CeleryEventState> = {
  framework: 'celery',
  capabilities: { workers: true, taskDetail: true },
  detect: detectCelery,
  discover: discoverCelery,
  poll: pollCelery,
  getTask: getCeleryTask,
  events: celeryEvents,
  listTasks: (ctx, _ns, discovery, events, query) => listCeleryTasks(ctx, discovery, events, query),
  runAction: (ctx, _ns, discovery, request) => runCeleryAction(ctx, discovery, request),
};
