import type { Framework } from '../contract/figures.js';
import type { FinishedSample, ProbeReading } from '../contract/snapshot.js';
import type { TaskDetail } from '../contract/task.js';
import type { FrameworkConfig } from '../contract/config.js';
import type { RedisReader } from '../io/redis/redisReader.js';
import type { TaskActionRequest, TaskListPage, TaskListQuery } from '../contract/taskList.js';
import type { RedisWriter } from '../io/writes/redisWriter.js';

// The reading shapes live in the contract (everything downstream is a function of them).
export type { FinishedSample, FinishedTask, ItemError, ProbeReading, QueueReading } from '../contract/snapshot.js';

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
  /**
   * One page of the tasks of a queue in one state, O(page) reads; a search reads a bounded
   * number of entries. `null` when this namespace has no such queue. `actions` and `readOnly`
   * of the page are filled by the caller.
   */
  listTasks?(ctx: ProbeContext, ns: ProbeNamespace, discovery: D, events: E | null, query: TaskListQuery): Promise<ProbeTaskPage | null>;
  /** Write actions (retry, delete, purge) where the framework allows them; only the Api's action call uses it. */
  runAction?(ctx: ProbeWriteContext, ns: ProbeNamespace, discovery: D, request: TaskActionRequest): Promise<{ done: string; affectedCount: number }>;
}

/** A page as a probe returns it: the Api adds the actions allowed and the read-only switch. */
export type ProbeTaskPage = Omit<TaskListPage, 'actions' | 'readOnly'>;

/** The context of a write action: the reads of a probe plus the one writer it may use. */
export interface ProbeWriteContext extends ProbeContext {
  writer: RedisWriter;
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
