import type { ConnectionStatus, Framework } from './figures.js';

/**
 * Stored history of the figures (design/ARCHITECTURE.md "The figures, defined once"), as every
 * face asks for it. Public JSON contract: later versions add fields, never rename them.
 * Times are UTC epoch milliseconds.
 */

/** Per-queue figures kept over time; a {@link Percentiles} figure is two series (p50, p95). */
export const queueHistoryFigures = [
  'waiting', 'scheduled', 'reserved', 'running', 'failed', 'dead', 'retrying',
  'oldestWaitingAgeMs', 'throughputPerMin',
  'waitLatencyP50Ms', 'waitLatencyP95Ms', 'runLatencyP50Ms', 'runLatencyP95Ms',
  'successRatio', 'drainEtaMs', 'workersOnline', 'workersBusy', 'workersOffline',
] as const;

/**
 * Per-connection figures kept over time: its status (as {@link connectionStatusLevel}), poll
 * duration, and its workers (each worker once, whatever queues it consumes). The worker figures
 * share their names with the per-queue ones: asked with a `queue`, they are the queue's; without,
 * the connection's.
 */
export const connectionHistoryFigures = ['status', 'pollDurationMs', 'workersOnline', 'workersBusy', 'workersOffline'] as const;

export type QueueHistoryFigure = (typeof queueHistoryFigures)[number];
export type ConnectionHistoryFigure = (typeof connectionHistoryFigures)[number];
export type HistoryFigure = QueueHistoryFigure | ConnectionHistoryFigure;

/** A connection's status as a number in the `status` series: higher is worse. */
export const connectionStatusLevel: Record<ConnectionStatus, number> = { ok: 0, degraded: 1, unauthorized: 2, unreachable: 3 };

/** Which stored resolution answered a query: every poll, or 1-minute / 1-hour rollups. */
export type HistoryResolution = 'raw' | '1m' | '1h';

/**
 * How the values of one bucket (a rollup, or a downsampled chart point) become one value:
 * `max` for counts, ages and latencies (a spike stays visible, as alerts see it), `min` for
 * figures where low is bad (success ratio, workers online), `avg` for rates.
 */
export type HistoryAggregate = 'max' | 'min' | 'avg';

/** `history`: figures of one queue (or of the connection itself) over a time range. */
export interface HistoryQuery {
  /** Connection id. */
  connection: string;
  /** With `queue`: the queue's framework. Without it, every framework with that queue name. */
  framework?: Framework;
  /** `db<N>` (and prefix) as in QueueFigures; without it, every namespace with that queue name. */
  namespace?: string;
  /**
   * The queue; without it the connection's own figures (`status`, `pollDurationMs`, its workers)
   * are asked. With it, `status` and `pollDurationMs` still come from the connection.
   */
  queue?: string;
  figures: HistoryFigure[];
  fromAt: number;
  toAt: number;
  /** At most this many points per series (default 1000): longer ranges are downsampled. */
  maxPoints?: number;
}

/**
 * One point: `value` is `null` where nothing was recorded (polling stopped, the broker could not
 * be read, or the figure could not be told) — drawn as a gap, never as zero.
 */
export interface HistoryPoint {
  at: number;
  value: number | null;
}

export interface HistorySeries {
  connection: string;
  /** `null` for a connection's own figures. */
  framework: Framework | null;
  namespace: string | null;
  queue: string | null;
  figure: HistoryFigure;
  /** How each point combines the samples of its bucket (raw points are single samples). */
  aggregate: HistoryAggregate;
  points: HistoryPoint[];
}

export interface HistoryView {
  /** The range asked. */
  fromAt: number;
  toAt: number;
  resolution: HistoryResolution;
  /**
   * Width of one point's bucket in ms; `null` when raw samples are returned one by one (then
   * a gap longer than 2.5 poll intervals is marked by a `null` point).
   */
  bucketMs: number | null;
  /** One series per figure per matching queue; empty when nothing was recorded. */
  series: HistorySeries[];
}

/** How long each resolution (and task details) is kept, in ms. */
export interface HistoryRetention {
  /** Every poll: 24 h by default. */
  rawMs: number;
  /** 1-minute rollups: 30 days by default. */
  minuteMs: number;
  /** 1-hour rollups: 1 year by default. */
  hourMs: number;
  /** Details of failed (and dead) tasks: 30 days by default. */
  failedTaskMs: number;
  /** Details of other tasks: 24 h by default. */
  taskMs: number;
}

/** `historyInfo`: the store's state, for Settings. */
export interface HistoryInfo {
  /** `false` when history is off (one-shot CLI views, `serve --no-history`). */
  enabled: boolean;
  /** The database file; `null` when off or kept in memory. */
  path: string | null;
  /** Size of the database file in bytes (page_count × page_size); `0` when off. */
  sizeBytes: number;
  retention: HistoryRetention;
  /** The poll interval the raw samples were recorded at, ms; gaps are judged against it. */
  pollIntervalMs: number;
  /** Oldest point kept at each resolution; `null` when none. */
  oldestAt: Record<HistoryResolution, number | null>;
}

/**
 * The `history` section of the tray app's config (and of `--config FILE`): how long each
 * resolution is kept, as durations like `"24h"`, `"30d"`, `"1y"` (units ms, s, m, h, d, w, y;
 * a year is 365 days). Omitted members keep their defaults (raw 24h, minute 30d, hour 1y,
 * failedTasks 30d, tasks 24h).
 */
export interface HistoryConfig {
  /** Every poll. */
  raw?: string;
  /** 1-minute rollups. */
  minute?: string;
  /** 1-hour rollups. */
  hour?: string;
  /** Details of failed and dead tasks seen. */
  failedTasks?: string;
  /** Details of other tasks seen. */
  tasks?: string;
}
