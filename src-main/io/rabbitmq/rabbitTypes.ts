import type { ApiError } from '../../contract/errors.js';

/**
 * What the RabbitMQ io layer hands the monitor and the probes: the management API's queue and
 * node objects reduced to the fields task-status reads, each `undefined` when the broker left it
 * out (statistics off, a queue too new or too idle to have `message_stats`). Broker data is
 * untrusted: anything not a finite number is `undefined` here, never a crash.
 */

/** One queue of a vhost, from `/api/queues/<vhost>` (or, management off, a passive declare). */
export interface RabbitQueueStats {
  name: string;
  vhost: string;
  /** `messages_ready`: delivered to nobody yet. */
  messagesReady?: number;
  /** `messages_unacknowledged`: delivered and not acked (prefetched or being worked on). */
  messagesUnacknowledged?: number;
  consumers?: number;
  /** `classic`, `quorum`, `stream`. */
  type?: string;
  /** `message_stats.*_details.rate`, messages per second, over the broker's last sample interval. */
  rates?: RabbitQueueRates;
  /**
   * `head_message_timestamp` in ms: the `timestamp` property the publisher set on the message at
   * the head of the queue (the oldest ready one), RabbitMQ's unit being seconds. Classic queues
   * only, and only when publishers set the property; `undefined` otherwise.
   */
  headMessageTimestampMs?: number;
  /** Queue arguments (`x-max-priority`, `x-dead-letter-exchange`, …), for probes that claim queues. */
  arguments?: Record<string, unknown>;
  /** Where the figures came from: the management API or an AMQP passive declare. */
  source: 'management' | 'amqp';
}

/** Per-second rates from `message_stats`; a member is absent when the broker did not report it. */
export interface RabbitQueueRates {
  publish?: number;
  deliver?: number;
  deliverNoAck?: number;
  getNoAck?: number;
  ack?: number;
  redeliver?: number;
}

/** One node of the cluster, from `/api/nodes`. */
export interface RabbitNodeStats {
  name: string;
  running?: boolean;
  memUsed?: number;
  memLimit?: number;
  memAlarm?: boolean;
  diskFree?: number;
  diskFreeLimit?: number;
  diskFreeAlarm?: boolean;
  fdUsed?: number;
  fdTotal?: number;
  socketsUsed?: number;
  socketsTotal?: number;
  procUsed?: number;
  procTotal?: number;
  /** Milliseconds (RabbitMQ's unit for `uptime`). */
  uptimeMs?: number;
  partitions?: string[];
}

/** The parts of `/api/overview` the monitor uses. */
export interface RabbitOverview {
  rabbitmqVersion?: string;
  managementVersion?: string;
  /** `disable_stats`: the management collector is off, so queue counts are missing. */
  isStatsDisabled: boolean;
  clusterName?: string;
}

/**
 * The result of one passive declare: the ready count and consumers, the queue does not exist
 * (404, the broker's words in `detail`), or another refusal of this queue alone (403 access
 * refused, 405 an exclusive queue of another connection): item-level, never the poll's failure.
 */
export type AmqpQueueCheck =
  | { name: string; status: 'ok'; messageCount: number; consumerCount: number }
  | { name: string; status: 'missing'; detail: string }
  | { name: string; status: 'error'; error: ApiError };

/** Requests (or AMQP methods) sent and sequential round trips taken, for the monitor's own figures. */
export interface RabbitTraffic {
  requests: number;
  roundTrips: number;
}

/** A vhost's queues and how many pages it took (page 1, then the rest side by side). */
export interface RabbitQueueListing {
  queues: RabbitQueueStats[];
  pages: number;
}

/** The management HTTP API of one broker, read-only (only GET is ever sent). */
export interface RabbitManagementReader {
  /** The API's base URL without credentials, for messages. */
  readonly url: string;
  /** HTTP requests sent so far (requests sent side by side share a round trip: the caller counts those). */
  readonly traffic: { requests: number };
  /**
   * Every queue of a vhost, paginated and with only the columns task-status reads. With
   * `statsDisabled` (the overview's `disable_stats`), the one form that still has the counts.
   */
  listQueues(vhost: string, options?: { statsDisabled?: boolean }): Promise<RabbitQueueListing>;
  /** Every node's resource figures. */
  nodes(): Promise<RabbitNodeStats[]>;
  overview(): Promise<RabbitOverview>;
  close(): Promise<void>;
}

/** AMQP alone (management plugin off): passive declares on one persistent connection. */
export interface AmqpQueueChecker {
  readonly traffic: RabbitTraffic;
  /** The broker's version from the connection's server properties; `null` before connecting. */
  readonly serverVersion: string | null;
  /**
   * Ready count and consumers of each named queue: one passive declare per name, side by side
   * (one channel per queue), so a poll takes one round trip once the channels are open.
   * Throws (a coded ApiError) only when the connection itself fails.
   */
  checkQueues(names: readonly string[]): Promise<AmqpQueueCheck[]>;
  /** Opens the connection if needed (an unreachable broker or a wrong password throws here). */
  connect(): Promise<void>;
  close(): Promise<void>;
}
