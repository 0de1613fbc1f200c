import type { QueueProbe } from './probe.js';
import type { RabbitProbe } from './rabbitProbe.js';
import { rabbitQueueProbe } from './rabbitmq/rabbitQueueProbe.js';
import { celeryRabbitProbe } from './celery/rabbitmq/celeryRabbitProbe.js';
import { bullmqProbe } from './bullmq/bullmqProbe.js';
import { celeryProbe } from './celery/celeryProbe.js';
import { rqProbe } from './rq/rqProbe.js';
import { sidekiqProbe } from './sidekiq/sidekiqProbe.js';

/**
 * The one unsafe step of the registry: a probe typed with its own discovery and event state is
 * stored with those types erased. Sound because the monitor only ever hands a probe back the
 * discovery and event state that the same probe produced (Target keeps them together).
 */
function row<D, E>(probe: QueueProbe<D, E>): QueueProbe<unknown, unknown> {
  return probe as unknown as QueueProbe<unknown, unknown>;
}

/**
 * Every framework task-status can watch, one row each (STYLE.md habit 7). Adding a framework is
 * adding its folder and a row here; nothing else changes. Order is the display order.
 */
export const probeRegistry: readonly QueueProbe<unknown, unknown>[] = [
  row(celeryProbe),
  row(rqProbe),
  row(bullmqProbe),
  row(sidekiqProbe),
];

/**
 * The probes of a RabbitMQ vhost (probes/rabbitProbe.ts), in the order they are offered each
 * queue: the first that claims it reads it. Celery claims its task queues (and hides its own);
 * plain queues (`rabbitmq`) stay last: they take the rest.
 */
export const rabbitProbeRegistry: readonly RabbitProbe[] = [
  rabbitRow(celeryRabbitProbe),
  rabbitQueueProbe,
];

/** The same erasure for RabbitMQ probes: the monitor hands each its own discovery and events back. */
function rabbitRow<D, E>(probe: RabbitProbe<D, E>): RabbitProbe {
  return probe as unknown as RabbitProbe;
}
