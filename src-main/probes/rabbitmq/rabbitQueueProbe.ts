import type { FigureName } from '../../contract/figures.js';
import type { RabbitQueueStats } from '../../io/rabbitmq/rabbitTypes.js';
import type { RabbitProbe, RabbitProbeContext, RabbitProbeReading, RabbitQueueReading } from '../rabbitProbe.js';

/** Notes for what RabbitMQ has no notion of, the same on every queue. */
const fixedNotes: Partial<Record<FigureName, string>> = {
  scheduled: 'RabbitMQ holds no delayed messages in a queue (a delayed-message exchange or a TTL queue keeps them elsewhere)',
  running: 'RabbitMQ cannot tell a message being worked on from a prefetched one: both are in reserved (unacknowledged)',
  failed: 'RabbitMQ keeps no failed messages: a rejected one is dropped, requeued or dead-lettered to another queue',
  retrying: 'RabbitMQ does not keep retries apart: a requeued message is ready again',
  waitLatencyMs: 'RabbitMQ does not record when a message was delivered',
  runLatencyMs: 'RabbitMQ does not record when a message was delivered or acknowledged',
  successRatio: 'RabbitMQ does not tell a success from a failure: both are acknowledged',
};

const consumerNote = 'online counts the consumers attached to the queue: a consumer is a channel, not a worker with a heartbeat, so busy and offline cannot be told';

/**
 * Plain AMQP queues of any application (framework `rabbitmq`): every queue of the vhost.
 * waiting = messages_ready, reserved = messages_unacknowledged, workers.online = consumers,
 * throughput = acknowledgements (plus auto-acked deliveries and gets) per minute, RabbitMQ's own
 * rate. A field RabbitMQ left out (a new or idle queue, statistics off, AMQP alone) is `null`
 * with the reason, never an error.
 */
export const rabbitQueueProbe: RabbitProbe = {
  framework: 'rabbitmq',
  claims: () => true,
  read(ctx: RabbitProbeContext, queues: readonly RabbitQueueStats[]): RabbitProbeReading {
    return { takenAt: ctx.now, queues: queues.map((q) => queueReading(q)), workers: null, errors: [] };
  },
};

export function queueReading(q: RabbitQueueStats): RabbitQueueReading {
  const notes: Partial<Record<FigureName, string>> = { ...fixedNotes };
  const isAmqp = q.source === 'amqp';
  const waiting = q.messagesReady ?? null;
  if (waiting === null) notes.waiting = 'RabbitMQ has not reported this queue\'s counts yet (declared since its last statistics emission, or statistics are off)';
  const reserved = q.messagesUnacknowledged ?? null;
  if (reserved === null) {
    notes.reserved = isAmqp ? 'AMQP alone (management API unreadable) cannot see unacknowledged messages'
      : 'RabbitMQ has not reported this queue\'s unacknowledged count yet';
  }
  const deadLetter = q.arguments?.['x-dead-letter-exchange'];
  notes.dead = typeof deadLetter === 'string'
    ? `dead-lettered messages go to the exchange "${deadLetter}" and are counted in the queue it routes to`
    : 'RabbitMQ keeps no dead messages in this queue (no x-dead-letter-exchange: a rejected message is dropped)';
  const oldestWaitingAt = oldestOf(q, waiting, notes);
  notes.workers = q.consumers === undefined ? 'RabbitMQ has not reported this queue\'s consumers yet' : consumerNote;
  return {
    queue: q.name,
    waiting,
    scheduled: null,
    reserved,
    running: null,
    failed: null,
    dead: null,
    retrying: null,
    oldestWaitingAt,
    workers: { online: q.consumers ?? null, busy: null, offline: null },
    throughputPerMin: throughputOf(q, notes),
    notes,
  };
}

/**
 * With nothing ready the age is 0 ("none waits"). Otherwise only the `timestamp` property a
 * publisher may set on the head message tells (head_message_timestamp, classic queues): the
 * publisher's clock, in whole seconds. Without it RabbitMQ cannot tell.
 */
function oldestOf(q: RabbitQueueStats, waiting: number | null, notes: Partial<Record<FigureName, string>>): number | null | undefined {
  if (waiting === 0) return null;
  if (waiting !== null && q.headMessageTimestampMs !== undefined) {
    notes.oldestWaitingAgeMs = 'from the timestamp property the publisher set on the oldest ready message (whole seconds, the publisher\'s clock)';
    return q.headMessageTimestampMs;
  }
  notes.oldestWaitingAgeMs = q.source === 'amqp' ? 'AMQP alone (management API unreadable) cannot see when the oldest ready message was published'
    : 'RabbitMQ does not say when its oldest ready message was published (its publisher set no timestamp property, or the queue is not a classic queue)';
  return undefined;
}

function throughputOf(q: RabbitQueueStats, notes: Partial<Record<FigureName, string>>): number | null {
  if (q.source === 'amqp') {
    notes.throughputPerMin = 'AMQP alone (management API unreadable) gives no message rates';
    return null;
  }
  const rates = q.rates;
  if (!rates || (rates.ack === undefined && rates.deliverNoAck === undefined && rates.getNoAck === undefined)) {
    notes.throughputPerMin = 'RabbitMQ reports no message rates for this queue (no traffic since it was declared, or statistics are off)';
    return null;
  }
  notes.throughputPerMin = 'acknowledgements plus auto-acknowledged deliveries per minute, RabbitMQ\'s own rate over its last statistics interval';
  return Math.round(((rates.ack ?? 0) + (rates.deliverNoAck ?? 0) + (rates.getNoAck ?? 0)) * 60 * 100) / 100;
}
