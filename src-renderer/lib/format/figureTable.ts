import type { FigureName, QueueFigures } from '../../../src-main/contract/figures.js';
import { formatDuration } from './durations.js';
import { formatCount, formatRate, formatRatio } from './numbers.js';

/** One line of a queue panel: a figure (or one part of it), read and formatted. */
export interface FigureRow {
  /** Stable key, also the `data-figure` of the shown value (`waiting`, `runLatencyMs.p95`). */
  key: string;
  /** The contract figure it belongs to, whose `notes` entry explains a `null`. */
  figure: FigureName;
  label: string;
  /** What the figure means, for the label's title. */
  hint: string;
  read(queue: QueueFigures): number | null;
  format(value: number): string;
}

const count = (figure: FigureName & keyof QueueFigures, label: string, hint: string): FigureRow[] => [
  { key: figure, figure, label, hint, read: (q) => q[figure] as number | null, format: formatCount },
];

const percentiles = (figure: 'waitLatencyMs' | 'runLatencyMs', label: string, hint: string): FigureRow[] =>
  (['p50', 'p95'] as const).map((p) => ({
    key: `${figure}.${p}`, figure, label: `${label} ${p}`, hint, read: (q: QueueFigures) => q[figure]?.[p] ?? null, format: formatDuration,
  }));

const workers = (['online', 'busy', 'offline'] as const).map((part): FigureRow => ({
  key: `workers.${part}`, figure: 'workers', label: `Workers ${part}`,
  hint: { online: 'consuming this queue, heartbeat fresh', busy: 'online and executing a task now', offline: 'stopped heartbeating without a clean shutdown' }[part],
  read: (q) => q.workers[part], format: formatCount,
}));

/**
 * Every figure of the contract, in the order a panel shows them. Keyed by FigureName, so a
 * figure added to the contract is a compile error here until it is shown.
 */
const rowsByFigure: Record<FigureName, FigureRow[]> = {
  waiting: count('waiting', 'Waiting', 'ready to run now (priority sub-queues summed)'),
  scheduled: count('scheduled', 'Scheduled', 'waiting for a time (ETA, countdown, delayed)'),
  reserved: count('reserved', 'Reserved', 'taken by a worker, not acknowledged; not running'),
  running: count('running', 'Running', 'being executed now'),
  failed: count('failed', 'Failed', 'failed, as the framework keeps them'),
  dead: count('dead', 'Dead', 'retries exhausted, set aside'),
  retrying: count('retrying', 'Retrying', 'waiting for a retry'),
  oldestWaitingAgeMs: [{ key: 'oldestWaitingAgeMs', figure: 'oldestWaitingAgeMs', label: 'Oldest waiting', hint: 'age of the oldest ready task', read: (q) => q.oldestWaitingAgeMs, format: (ms) => (ms === 0 ? 'nothing waits' : formatDuration(ms)) }],
  throughputPerMin: [{ key: 'throughputPerMin', figure: 'throughputPerMin', label: 'Throughput', hint: 'tasks finished per minute (succeeded + failed)', read: (q) => q.throughputPerMin, format: formatRate }],
  waitLatencyMs: percentiles('waitLatencyMs', 'Wait', 'enqueue → start'),
  runLatencyMs: percentiles('runLatencyMs', 'Run', 'start → finish'),
  successRatio: [{ key: 'successRatio', figure: 'successRatio', label: 'Success', hint: 'succeeded / finished over the rate window', read: (q) => q.successRatio, format: formatRatio }],
  drainEtaMs: [{ key: 'drainEtaMs', figure: 'drainEtaMs', label: 'Drains in', hint: 'time until nothing waits, at the current net rate', read: (q) => q.drainEtaMs, format: (ms) => (ms === 0 ? 'nothing waits' : formatDuration(ms)) }],
  workers,
};

export const figureRows: readonly FigureRow[] = Object.values(rowsByFigure).flat();

/** The label of a figure, for its note. */
export function figureLabel(figure: FigureName): string {
  return rowsByFigure[figure][0]?.label.replace(/ p50$| online$/, '') ?? figure;
}
