import type { FigureName, WorkerCounts, WorkerInfo } from './figures.js';

/**
 * What probes read, before metrics: one `ProbeReading` per namespace per poll, stamped with
 * `takenAt`. Everything downstream (figures, status, history, alerts) is a pure function of
 * readings over time.
 */
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

