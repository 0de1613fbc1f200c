import type { RabbitProbe } from '../../rabbitProbe.js';
import type { CeleryEventState } from '../celeryEventState.js';
import { claimsQueue, discoverCeleryRabbit, type CeleryRabbitDiscovery } from './celeryRabbitDiscovery.js';
import { celeryRabbitEvents } from './celeryRabbitEvents.js';
import { readCeleryRabbit } from './celeryRabbitRead.js';
import { getCeleryRabbitTask } from './celeryRabbitTask.js';

export type { CeleryRabbitDiscovery };

/**
 * Celery on a RabbitMQ broker (py-amqp transport). Placed before the plain-queue probe: it
 * claims Celery's task queues (and hides Celery's own pidbox and event queues); counts come from
 * the vhost's queue listing, everything a worker does from the events task-status hears on one
 * private queue bound to `celeryev`. Layout and quirks: README.md in this folder.
 */
export const celeryRabbitProbe: RabbitProbe<CeleryRabbitDiscovery, CeleryEventState> = {
  framework: 'celery',
  claims: (queue, _ctx, state) => claimsQueue(queue, state?.discovery ?? null, state?.events ?? null),
  read: readCeleryRabbit,
  discover: discoverCeleryRabbit,
  events: celeryRabbitEvents,
  getTask: getCeleryRabbitTask,
};
