import type { FigureName, Framework, WorkerCounts, WorkerInfo } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import type { FrameworkConfig } from '../contract/config.js';
import type { RedisReader } from '../io/redis/redisReader.js';

/**
 * The one seam every framework sits behind (STYLE.md habit 1). A probe is stateless: it reads,
 * returns data and never mutates anything; the monitor owns discovery results and event state
 * and hands them back in. Optional members switch features on; they are not stubs that throw.
 *
 * Lifecycle per Redis database:
 *   detect  (once, and on the slow cadence)  → the namespaces of this framework found there
 *   discover(slow cadence, SCAN/SMEMBERS ok)   → membership: queues, workers
 *   poll    (every poll: ONE pipelined batch) → counts
 *   sample  (slow cadence, bounded reads)      → timestamps of recently finished tasks
 */
export interface QueueProbe<D = unknown, E = unknown> {
  readonly framework: Framework;
  readonly capabilities: ProbeCapabilities;
  detect(ctx: ProbeContext): Promise<ProbeNamespace[]>;
  discover(ctx: ProbeContext, ns: ProbeNamespace): Promise<D>;
  /**
   * Must send exactly one `RedisReader.batch` call. `previous` is this namespace's last reading
   * (or `null`), so a probe can size bounded reads from what it saw last time.
   */
  poll(ctx: ProbeContext, ns: ProbeNamespace, discovery: D, events: E | null, previous: ProbeReading | null): Promise<ProbeReading>;
  /** Bounded reads for rates and latencies over {@link ProbeContext.rateWindowMs}. */
  sample?(ctx: ProbeContext, ns: ProbeNamespace, discovery: D): Promise<FinishedSample[]>;
  /** One task by id, or `null` when this namespace does not know it. */
  getTask?(ctx: ProbeContext, ns: ProbeNamespace, id: string, events: E | null): Promise<TaskDetail | null>;
  /** Present when the framework pushes events (Celery): the monitor subscribes and folds them. */
  readonly events?: ProbeEventSource<E>;
}

export interface ProbeCapabilities {
  /** Whether figures per worker can be told at all. */
  workers: boolean;
  /** Whether `getTask` can find a task by id. */
  taskDetail: boolean;
}

export interface ProbeContext {
  /** Id of the connection, for TaskDetail and WorkerInfo. */
  connectionId: string;
  /** Read-only access to the database being probed. */
  redis: RedisReader;
  /** The poll's time (epoch ms), from the monitor's clock: probes never read the clock. */
  now: number;
  /** The window rates and latencies cover where timestamps exist (default 10 minutes). */
  rateWindowMs: number;
  /** User settings for this framework on this connection. */
  config: FrameworkConfig;
  /** Opens a reader on another Redis (Celery result backend elsewhere); absent if not configured. */
  resultBackend?: RedisReader;
}

/**
 * One instance of a framework in one database: a key prefix (Celery `global_keyprefix`, BullMQ
 * prefix, Sidekiq namespace). Two namespaces in one database are two sets of queues.
 */
export interface ProbeNamespace {
  framework: Framework;
  db: number;
  /** Key prefix, '' when none. */
  prefix: string;
  /** How it was found, for the reader: `detected from _kombu.binding.*`, `configured`. */
  source: string;
}

/** What one poll of one namespace read. */
export interface ProbeReading {
  takenAt: number;
  queues: QueueReading[];
  /** `null` when workers cannot be seen here (the panel says "unknown", never 0). */
  workers: WorkerInfo[] | null;
  /** Item-level problems (a key of the wrong type, an undecodable job). */
  errors: ItemError[];
  /** Set when some figures could not be read (a missing permission); the connection is degraded. */
  degraded?: string;
  /**
   * The poll saw membership change (a new queue or worker name): the monitor runs `discover`
   * again before the next poll instead of waiting for the slow cadence.
   */
  membershipChanged?: boolean;
  /** Probe-private values carried to the next poll through `previous` (JSON-safe). */
  memo?: Record<string, unknown>;
}

export interface QueueReading {
  queue: string;
  waiting: number | null;
  scheduled: number | null;
  reserved: number | null;
  running: number | null;
  failed: number | null;
  dead: number | null;
  retrying: number | null;
  /** Enqueue time (epoch ms) of the oldest ready task; `null` if none waits; `undefined` unknown. */
  oldestWaitingAt: number | null | undefined;
  workers: WorkerCounts;
  /**
   * Recently finished tasks for rates and latencies, when the probe reads them in `poll`
   * (events-based probes); otherwise the monitor merges `sample` results.
   */
  finished?: FinishedSample;
  notes: Partial<Record<FigureName, string>>;
}

/** Finished tasks of one queue seen over a window, for throughput, latency and success ratio. */
export interface FinishedSample {
  queue: string;
  /** The window the sample covers completely: [fromAt, toAt] in epoch ms. */
  fromAt: number;
  toAt: number;
  /** Where the timestamps come from: the framework's own records, or events heard. */
  source: 'timestamps' | 'events';
  tasks: FinishedTask[];
  /**
   * When the sample had to stop early (bounded read): rates are then computed over the span the
   * sample covers and marked approximate.
   */
  truncated: boolean;
}

export interface FinishedTask {
  enqueuedAt: number | null;
  startedAt: number | null;
  finishedAt: number;
  succeeded: boolean;
}

export interface ItemError {
  /** The key, job id or message concerned. */
  item: string;
  message: string;
}

/** Events a framework pushes over pub/sub, folded into state the monitor owns. */
export interface ProbeEventSource<E> {
  /** PSUBSCRIBE patterns for a namespace (pub/sub is server-wide, not per database). */
  patterns(ns: ProbeNamespace): string[];
  /** Fresh, empty state for a namespace. */
  initial(ns: ProbeNamespace): E;
  /**
   * Folds one message into the state; only the monitor calls it, so it may update in place.
   * `receivedAt` is the monitor's clock at arrival: liveness is judged on it, never on the
   * sender's timestamp.
   */
  fold(state: E, ns: ProbeNamespace, channel: string, message: Buffer, receivedAt: number): void;
  /** Drops what is older than the retention (by count and by age). */
  prune(state: E, now: number): void;
}
