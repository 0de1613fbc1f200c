import type { ApiError } from '../../contract/errors.js';

/**
 * What a framework on RabbitMQ (Celery) needs beyond the queue listing: the vhost's topology,
 * read on the discovery cadence, and one event subscription on a persistent AMQP connection.
 */

/** Exchanges, bindings and consumers of one vhost (management API), reduced to what is read. */
export interface RabbitTopology {
  exchanges: { name: string; type: string }[];
  /** Bindings to queues (`destination_type` queue); the default exchange's are left out. */
  bindings: { source: string; queue: string; routingKey: string }[];
  /** One per consumer: the queue it consumes and the AMQP connection it sits on. */
  consumers: { queue: string; connection: string }[];
}

export interface RabbitTopologyReader {
  /** Three GETs side by side (one round trip); throws a coded ApiError like the queue listing. */
  readTopology(vhost: string): Promise<RabbitTopology>;
  readonly traffic: { requests: number };
  close(): Promise<void>;
}

/** One message as it arrived on the subscription queue. */
export interface AmqpEventMessage {
  routingKey: string;
  content: Buffer;
  /** AMQP `content_type` / `content_encoding` properties (kombu: application/json, utf-8). */
  contentType: string | null;
  contentEncoding: string | null;
}

/** Where to listen: a topic exchange and the binding keys of the one private queue. */
export interface AmqpEventBinding {
  exchange: string;
  routingKeys: string[];
}

export interface AmqpEventListenerStatus {
  /** The queue is declared, bound and consumed right now. */
  isListening: boolean;
  /** The private queue's name while it exists (it goes with the connection). */
  queue: string | null;
  /** Why it is not listening (exchange missing, refused, connection lost); `null` when it is. */
  error: ApiError | null;
}

/**
 * ONE exclusive, auto-delete, non-durable queue bound to the exchange, consumed without acks on
 * a persistent connection: the only thing task-status ever creates on a monitored broker, gone
 * when task-status disconnects. `listen` is idempotent and called on every poll, so a dropped
 * connection or an exchange that appears later is picked up again.
 */
export interface AmqpEventListener {
  readonly status: AmqpEventListenerStatus;
  /** AMQP methods sent (declare, bind, consume…), for the monitor's own figures. */
  readonly traffic: { requests: number; roundTrips: number };
  listen(binding: AmqpEventBinding, onMessage: (message: AmqpEventMessage) => void): Promise<AmqpEventListenerStatus>;
  /** Deletes nothing by hand: closing the connection removes the exclusive queue. */
  close(): Promise<void>;
}
