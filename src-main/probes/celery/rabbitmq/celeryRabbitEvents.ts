import type { AmqpEventMessage } from '../../../io/rabbitmq/celeryEventsTypes.js';
import type { RabbitProbeEventSource } from '../../rabbitProbe.js';
import { foldEventText, noteArrival, undecodable } from '../celeryEventFold.js';
import { pruneEventState } from '../celeryEventPrune.js';
import { createEventState, type CeleryEventState } from '../celeryEventState.js';
import type { CeleryRabbitDiscovery } from './celeryRabbitDiscovery.js';

/**
 * Celery's events on RabbitMQ: the `celeryev` topic exchange, routing key = event type with
 * `-` → `.` (`worker.heartbeat`, `task.sent`, `task.multi`…). task-status binds one private queue
 * with `worker.#` and `task.#`. Folded by the same code as the Redis pub/sub events.
 */
export const celeryRabbitEvents: RabbitProbeEventSource<CeleryRabbitDiscovery, CeleryEventState> = {
  binding(ctx, discovery) {
    if (ctx.config.events === false || !discovery?.isCelery) return null;
    return { exchange: 'celeryev', routingKeys: ['worker.#', 'task.#'] };
  },
  initial: () => createEventState(),
  fold: foldAmqpEvent,
  prune: pruneEventState,
};

/**
 * One AMQP message of `celeryev`. Unlike Redis there is no kombu envelope: the body is the
 * serialized event (or a `task.multi` array), `content_type` application/json and
 * `content_encoding` utf-8 (live, celery 5.2.6); a base64 body is decoded too. Never throws.
 */
export function foldAmqpEvent(state: CeleryEventState, message: AmqpEventMessage, receivedAt: number): void {
  noteArrival(state, receivedAt);
  const type = message.contentType ?? '';
  if (type !== '' && !type.includes('json')) return undecodable(state, `not a JSON event (content-type ${type})`);
  const encoding = (message.contentEncoding ?? 'utf-8').toLowerCase();
  let text: string;
  if (encoding === 'base64') text = Buffer.from(message.content.toString('latin1'), 'base64').toString('utf8');
  else if (encoding === 'utf-8' || encoding === 'utf8' || encoding === 'binary') text = message.content.toString('utf8');
  else return undecodable(state, `an event in content-encoding ${encoding}`);
  foldEventText(state, text, receivedAt);
}
