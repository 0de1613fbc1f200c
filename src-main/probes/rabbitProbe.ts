import type { FrameworkConfig } from '../contract/config.js';
import type { Framework } from '../contract/figures.js';
import type { ProbeReading, QueueReading } from '../contract/snapshot.js';
import type { TaskDetail } from '../contract/task.js';
import type { AmqpEventBinding, AmqpEventMessage, RabbitTopology } from '../io/rabbitmq/celeryEventsTypes.js';
import type { RabbitQueueStats } from '../io/rabbitmq/rabbitTypes.js';
import type { RedisReader } from '../io/redis/redisReader.js';

/**
 * The RabbitMQ sibling of QueueProbe (probes/probe.ts is built around Redis databases, key
 * prefixes and one pipelined batch; none of that exists on RabbitMQ). Here the monitor's
 * RabbitMQ session reads the vhost once per poll (one paginated `/api/queues` listing, or
 * passive declares without the management plugin) and offers every queue to the probes in
 * registry order: the first that claims a queue reads it. A probe is pure: it maps what was
 * read to readings and never talks to the broker.
 *
 * Two probes sit here: Celery (probes/celery/rabbitmq), first, claims Celery's task queues and
 * hides Celery's own; `rabbitmq` (plain AMQP queues of any application) claims every queue left.
 * A probe with `discover` gets the vhost's topology on the discovery cadence, one with `events`
 * the messages of one private AMQP queue; the monitor keeps both (RabbitProbeStates).
 */
export interface RabbitProbe<D = unknown, E = unknown> {
  readonly framework: Framework;
  /**
   * Whether this probe reads the queue (the plain probe, last, claims every queue left). `state`
   * is what the monitor keeps for this probe (discovery, folded events), for probes that have them.
   */
  claims(queue: RabbitQueueStats, ctx: RabbitProbeContext, state?: RabbitProbeState<D, E>): boolean;
  read(ctx: RabbitProbeContext, queues: readonly RabbitQueueStats[], state?: RabbitProbeState<D, E>): RabbitProbeReading;
  /**
   * Present when the probe needs the vhost's topology (exchanges, bindings, consumers): the
   * monitor reads it on the discovery cadence (`null` when the management API cannot be read) and
   * keeps what this returns. Pure; `previous` is the last discovery, so membership can be sticky.
   */
  discover?(ctx: RabbitProbeContext, topology: RabbitTopology | null, previous: D | null, events: E | null): D;
  /** Present when the framework pushes events over AMQP (Celery): the monitor listens and folds. */
  readonly events?: RabbitProbeEventSource<D, E>;
  /** One task by id, or `null` when this vhost's probe does not know it. */
  getTask?(ctx: RabbitProbeContext, id: string, state: RabbitProbeState<D, E>): Promise<TaskDetail | null>;
}

/** What the monitor keeps for one probe of a vhost and hands back to it. */
export interface RabbitProbeState<D, E> {
  discovery: D | null;
  events: E | null;
  /** Why events are not heard (switched off, exchange missing, connection lost); `null` while listening. */
  eventsWhy: string | null;
}

/** Events a framework publishes to an exchange, heard on one private queue the monitor owns. */
export interface RabbitProbeEventSource<D, E> {
  /** Where to listen, or `null` not to (framework absent, or events switched off in the config). */
  binding(ctx: RabbitProbeContext, discovery: D | null): AmqpEventBinding | null;
  initial(): E;
  /** Folds one message in place; `receivedAt` is the monitor's clock at arrival. Never throws. */
  fold(state: E, message: AmqpEventMessage, receivedAt: number): void;
  /** Drops what is older than the retention (by count and by age). */
  prune(state: E, now: number): void;
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
  /** The window rates and latencies cover (default 10 minutes); absent = 10 minutes. */
  rateWindowMs?: number;
  /** Celery's Redis result backend (`--celery-backend`), for task detail; absent if not configured. */
  resultBackend?: RedisReader;
}

/** A queue reading that may carry a rate the broker measured itself. */
export interface RabbitQueueReading extends QueueReading {
  /**
   * Finished messages per minute as the broker reports them (acknowledgement rates), used as
   * `throughputPerMin` instead of one computed from finished samples; `null` when it cannot tell.
   * A probe that gives finished tasks (`finished`, Celery events) computes it from them here.
   */
  throughputPerMin: number | null;
}

export interface RabbitProbeReading extends Omit<ProbeReading, 'queues'> {
  queues: RabbitQueueReading[];
}
