import type { FrameworkConfig } from '../contract/config.js';
import type { Framework } from '../contract/figures.js';
import type { ProbeReading, QueueReading } from '../contract/snapshot.js';
import type { RabbitQueueStats } from '../io/rabbitmq/rabbitTypes.js';

/**
 * The RabbitMQ sibling of QueueProbe (probes/probe.ts is built around Redis databases, key
 * prefixes and one pipelined batch; none of that exists on RabbitMQ). Here the monitor's
 * RabbitMQ session reads the vhost once per poll (one paginated `/api/queues` listing, or
 * passive declares without the management plugin) and offers every queue to the probes in
 * registry order: the first that claims a queue reads it. A probe is pure: it maps what was
 * read to readings and never talks to the broker.
 *
 * Today one probe sits here, `rabbitmq` (plain AMQP queues of any application), claiming every
 * queue. Celery on RabbitMQ joins as a probe placed before it that claims Celery's task queues
 * (and, for events, gains a member like QueueProbe.events fed from an AMQP subscription).
 */
export interface RabbitProbe {
  readonly framework: Framework;
  /** Whether this probe reads the queue (the plain probe, last, claims every queue left). */
  claims(queue: RabbitQueueStats, ctx: RabbitProbeContext): boolean;
  read(ctx: RabbitProbeContext, queues: readonly RabbitQueueStats[]): RabbitProbeReading;
}

export interface RabbitProbeContext {
  connectionId: string;
  vhost: string;
  /** The poll's time (epoch ms), from the monitor's clock. */
  now: number;
  /** User settings for this framework on this connection. */
  config: FrameworkConfig;
  /** How the queues were read: every figure, or AMQP's ready count and consumers only. */
  source: 'management' | 'amqp';
}

/** A queue reading that may carry a rate the broker measured itself. */
export interface RabbitQueueReading extends QueueReading {
  /**
   * Finished messages per minute as the broker reports them (acknowledgement rates), used as
   * `throughputPerMin` instead of one computed from finished samples; `null` when it cannot tell.
   */
  throughputPerMin: number | null;
}

export interface RabbitProbeReading extends Omit<ProbeReading, 'queues'> {
  queues: RabbitQueueReading[];
}
