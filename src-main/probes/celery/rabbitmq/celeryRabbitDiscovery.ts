import type { RabbitTopology } from '../../../io/rabbitmq/celeryEventsTypes.js';
import type { RabbitQueueStats } from '../../../io/rabbitmq/rabbitTypes.js';
import type { RabbitProbeContext } from '../../rabbitProbe.js';
import type { CeleryEventState } from '../celeryEventState.js';

/** Celery on one vhost, as the topology and the events tell it (refreshed on the discovery cadence). */
export interface CeleryRabbitDiscovery {
  /** Celery's exchanges (`celeryev`, `celery.pidbox`) or a worker's pidbox queue are there, or queues are configured. */
  isCelery: boolean;
  hasEventsExchange: boolean;
  /** Task queues → how each was recognized (for the reader). */
  queues: Map<string, string>;
  /**
   * Worker node name → the task queues it consumes: a worker consumes them and its own
   * `<node>.celery.pidbox` on one AMQP connection (live, celery 5.2.6). Only running workers.
   */
  workerQueues: Map<string, string[]>;
  /** Why the topology is not known (management API unreadable), else `null`. */
  topologyWhy: string | null;
}

const pidboxSuffix = '.celery.pidbox';

/**
 * Queues Celery itself declares and nobody runs tasks from: workers' pidbox queues, event
 * receivers (Celery's own `celeryev.<uuid>` and task-status's `celeryev.task-status.<hex>`),
 * remote-control reply queues. Claimed and left out of the figures once Celery is found.
 */
export function isCeleryInfraQueue(name: string): boolean {
  return name.endsWith(pidboxSuffix) || name.startsWith('celeryev.') || name.endsWith('.reply.celery.pidbox');
}

/**
 * Which queues are Celery's. A queue is a task queue when it is named in the config
 * (`frameworks.celery.queues`), consumed by a Celery worker (on the connection that consumes a
 * `<node>.celery.pidbox` queue), bound to the `celery` exchange (Celery's default queue, also
 * when no worker runs), named by a `task-sent` event heard, or was one at the last discovery
 * (a queue does not stop being Celery's when its workers stop). Celery's `Queue('emails')` gets a
 * direct exchange of its own name (`emails` → `emails`): on a vhost where Celery is found, such a
 * queue is taken for Celery's too (another application on the same vhost declaring the same
 * pattern would be misread; `frameworks.celery.queues` and a vhost per application avoid it).
 */
export function discoverCeleryRabbit(ctx: RabbitProbeContext, topology: RabbitTopology | null, previous: CeleryRabbitDiscovery | null, events: CeleryEventState | null): CeleryRabbitDiscovery {
  const queues = new Map<string, string>(previous?.queues ?? []);
  for (const name of ctx.config.queues ?? []) queues.set(name, 'named in the config');
  const workerQueues = new Map<string, string[]>();
  let isCelery = (ctx.config.queues?.length ?? 0) > 0 || (previous?.isCelery ?? false);
  let hasEventsExchange = previous?.hasEventsExchange ?? false;
  if (topology) {
    const exchanges = new Set(topology.exchanges.map((e) => e.name));
    hasEventsExchange = exchanges.has('celeryev');
    const workerConnections = new Map<string, string>();
    for (const c of topology.consumers) {
      if (c.queue.endsWith(pidboxSuffix) && !c.queue.endsWith(`.reply${pidboxSuffix}`)) workerConnections.set(c.connection, c.queue.slice(0, -pidboxSuffix.length));
    }
    isCelery ||= hasEventsExchange || exchanges.has('celery.pidbox') || workerConnections.size > 0;
    for (const c of topology.consumers) {
      const worker = workerConnections.get(c.connection);
      if (worker === undefined || isCeleryInfraQueue(c.queue)) continue;
      if (!queues.has(c.queue)) queues.set(c.queue, `consumed by the Celery worker ${worker}`);
      const list = workerQueues.get(worker) ?? [];
      if (!list.includes(c.queue)) list.push(c.queue);
      workerQueues.set(worker, list.sort());
    }
    for (const b of topology.bindings) {
      if (b.source === 'celery' && !queues.has(b.queue)) queues.set(b.queue, 'bound to the celery exchange');
    }
    if (isCelery) {
      // kombu's Queue('emails') comes with a direct exchange `emails` routing `emails` to it: on
      // a vhost where Celery runs, such a queue is taken for Celery's even with no worker on it.
      const direct = new Set(topology.exchanges.filter((e) => e.type === 'direct').map((e) => e.name));
      for (const b of topology.bindings) {
        if (b.source === b.queue && b.routingKey === b.queue && direct.has(b.source) && !queues.has(b.queue) && !isCeleryInfraQueue(b.queue)) {
          queues.set(b.queue, 'bound to a direct exchange of its own name, as kombu declares Celery\'s queues');
        }
      }
    }
  }
  // A worker that stopped consuming (killed, or gone) is still listed offline for a while: what
  // it consumed stays known as long as its events are kept.
  for (const [worker, list] of previous?.workerQueues ?? []) {
    if (!workerQueues.has(worker) && (!topology || events?.workers.has(worker))) workerQueues.set(worker, list);
  }
  if (events) {
    for (const task of events.tasks.values()) {
      if (task.queue !== null && !queues.has(task.queue)) queues.set(task.queue, 'named by a task-sent event');
    }
  }
  if (!isCelery) queues.clear();
  return {
    isCelery, hasEventsExchange, queues, workerQueues,
    topologyWhy: topology ? null : 'the management API could not be read: Celery\'s queues are those named in the config or heard in task-sent events',
  };
}

/** Whether the Celery probe reads this queue. */
export function claimsQueue(queue: RabbitQueueStats, discovery: CeleryRabbitDiscovery | null, events: CeleryEventState | null): boolean {
  if (!discovery?.isCelery) return false;
  if (discovery.queues.has(queue.name) || isCeleryInfraQueue(queue.name)) return true;
  // A queue named by task-sent since the last discovery.
  if (events) for (const task of events.tasks.values()) if (task.queue === queue.name) return true;
  return false;
}
