/**
 * The figures every face shows, defined once (design/ARCHITECTURE.md "The figures, defined once").
 *
 * Public JSON contract: later versions add fields, never rename or remove them.
 * Everywhere: `null` means "the probe could not tell" (or the framework has no such notion);
 * `0` means "asked, and the answer is none". Times are UTC epoch milliseconds.
 */

/** A task framework, or `rabbitmq` for plain AMQP queues of any application. */
export type Framework = 'celery' | 'rq' | 'bullmq' | 'sidekiq' | 'rabbitmq';

/** The broker kind a connection speaks to. */
export type Broker = 'redis' | 'rabbitmq';

/** Two percentiles of a latency distribution, in milliseconds. */
export interface Percentiles {
  /** Median, in ms. */
  p50: number;
  /** 95th percentile, in ms (nearest-rank). */
  p95: number;
}

/** Worker counts for one queue. Each member is `null` when the probe cannot see workers. */
export interface WorkerCounts {
  /** Workers consuming this queue whose last heartbeat is recent enough. */
  online: number | null;
  /** Online workers executing a task right now; `null` where the framework does not say. */
  busy: number | null;
  /**
   * Workers that stopped heartbeating without a clean shutdown (crashed, killed, cut off).
   * A worker that shut down cleanly is gone and is not counted.
   */
  offline: number | null;
}

/** Names of the per-queue figures that can be `null`, used to explain why. */
export type FigureName =
  | 'waiting'
  | 'scheduled'
  | 'reserved'
  | 'running'
  | 'failed'
  | 'dead'
  | 'retrying'
  | 'oldestWaitingAgeMs'
  | 'throughputPerMin'
  | 'waitLatencyMs'
  | 'runLatencyMs'
  | 'successRatio'
  | 'drainEtaMs'
  | 'workers';

/** One queue of one framework on one connection, as every face shows it. */
export interface QueueFigures {
  /** Id of the connection (its name in the config, or derived from the URL). */
  connection: string;
  framework: Framework;
  /** The queue's name as the framework spells it (priority sub-queues folded in). */
  queue: string;
  /**
   * Where in the broker the queue lives: `db<N>` for Redis, plus the key prefix or namespace
   * when one is set (`db0 qlab:`); the vhost for RabbitMQ. Two namespaces are two queues.
   */
  namespace: string;
  /** Ready to run now: all priority sub-queues summed, paused and prioritized jobs included. */
  waiting: number | null;
  /**
   * Waiting for a time (ETA, countdown, delayed, scheduled sets). A Celery ETA task that a worker
   * already holds counts here, not in `reserved`, as `celery inspect scheduled` reports it.
   */
  scheduled: number | null;
  /**
   * Taken by a worker but not acknowledged and not running (prefetched). `null` where the
   * framework has no such notion (RQ before 1.15) or it cannot be attributed to one queue.
   */
  reserved: number | null;
  /** Being executed now; `null` where the framework cannot tell. */
  running: number | null;
  /** Failed tasks as the framework keeps them (a retry is not a failure). */
  failed: number | null;
  /** Tasks that exhausted their retries and were set aside (Sidekiq dead set); `null` if no notion. */
  dead: number | null;
  /** Tasks waiting for a retry; `null` where the framework does not keep them apart. */
  retrying: number | null;
  /** Age, in ms at `takenAt`, of the oldest ready task; `0` when none waits; `null` if unknown. */
  oldestWaitingAgeMs: number | null;
  /** Tasks finished (succeeded + failed) per minute over the rate window; `null` when unknown. */
  throughputPerMin: number | null;
  /** Enqueue → start, over the rate window; `null` without samples. */
  waitLatencyMs: Percentiles | null;
  /** Start → finish, over the rate window; `null` without samples. */
  runLatencyMs: Percentiles | null;
  /** succeeded / (succeeded + failed) over the rate window, 0..1; `null` below the minimum count. */
  successRatio: number | null;
  /**
   * Tasks finished (succeeded + failed, retries not counted) in the rate window, the count the
   * success ratio stands on; `null` when no record of finished tasks was available.
   */
  finishedCount?: number | null;
  /**
   * Time until `waiting` reaches zero at the current net rate, in ms. `0` when nothing waits;
   * `null` when the queue is not draining or the trend is not known yet.
   */
  drainEtaMs: number | null;
  workers: WorkerCounts;
  /** When the figures were read (epoch ms). */
  takenAt: number;
  /** Why a figure is `null` or approximate, by figure name; empty when all are plain readings. */
  notes: Partial<Record<FigureName, string>>;
}

/** A worker as every face shows it. */
export interface WorkerInfo {
  /** The framework's own name for the worker (`celery@host`, RQ worker name, …). */
  name: string;
  framework: Framework;
  /** Id of the connection it was seen on. */
  connection: string;
  /** `online` while its heartbeat is fresh; `offline` once it stopped without saying goodbye. */
  state: 'online' | 'offline';
  /** Executing a task now; `null` when the framework does not say. */
  busy: boolean | null;
  /** Arrival time of its last heartbeat as seen by task-status (epoch ms); `null` if unknown. */
  lastSeenAt: number | null;
  /** Id of the task it is executing, when known. */
  currentTask: string | null;
  /** Queues it consumes, when known. */
  queues: string[] | null;
  /** Host name, when known. */
  hostname: string | null;
  /** Process id, when known. */
  pid: number | null;
  /**
   * Arrival time of its last heartbeat minus the time the worker stamped on it (ms): its clock's
   * skew plus the transit time. Shown only; liveness is judged on arrival times, never on it.
   * Absent where the framework stamps no time (or none was heard).
   */
  clockSkewMs?: number | null;
}

/** How well a connection could be read on its last poll. */
export type ConnectionStatus = 'ok' | 'unreachable' | 'unauthorized' | 'degraded';
