import type { QueueFigures } from '../../../contract/figures.js';
import { formatCount, formatDuration, formatPercentiles, formatRate, formatRatio, printable, unknownMark } from '../format.js';
import { renderTable, type Column } from './table.js';

const workers = (q: QueueFigures) => {
  const { online, busy, offline } = q.workers;
  if (online === null && busy === null && offline === null) return unknownMark;
  return `${formatCount(online)}/${formatCount(busy)}/${formatCount(offline)}`;
};

/** Oldest waiting age and drain ETA are `0` when nothing waits: "none" reads better than "0 ms". */
const noneOrDuration = (ms: number | null) => (ms === 0 ? 'none' : formatDuration(ms));

const columns: Column<QueueFigures>[] = [
  { header: 'FRAMEWORK', value: (q) => q.framework },
  { header: 'QUEUE', value: (q) => printable(q.queue) },
  { header: 'WHERE', value: (q) => printable(q.namespace) },
  { header: 'WAITING', value: (q) => formatCount(q.waiting), align: 'right' },
  { header: 'SCHEDULED', value: (q) => formatCount(q.scheduled), align: 'right' },
  { header: 'RESERVED', value: (q) => formatCount(q.reserved), align: 'right' },
  { header: 'RUNNING', value: (q) => formatCount(q.running), align: 'right' },
  { header: 'FAILED', value: (q) => formatCount(q.failed), align: 'right' },
  { header: 'DEAD', value: (q) => formatCount(q.dead), align: 'right' },
  { header: 'RETRYING', value: (q) => formatCount(q.retrying), align: 'right' },
  { header: 'OLDEST', value: (q) => noneOrDuration(q.oldestWaitingAgeMs), align: 'right' },
  { header: 'THROUGHPUT', value: (q) => formatRate(q.throughputPerMin), align: 'right' },
  { header: 'WAIT p50/p95', value: (q) => formatPercentiles(q.waitLatencyMs), align: 'right' },
  { header: 'RUN p50/p95', value: (q) => formatPercentiles(q.runLatencyMs), align: 'right' },
  { header: 'SUCCESS', value: (q) => formatRatio(q.successRatio), align: 'right' },
  { header: 'DRAIN ETA', value: (q) => noneOrDuration(q.drainEtaMs), align: 'right' },
  { header: 'WORKERS on/busy/off', value: workers, align: 'right' },
];

/** The queue table every view shares. */
export function renderQueueTable(queues: readonly QueueFigures[]): string {
  return renderTable(queues, columns);
}

/** One queue in full: every figure on its own line with the note that explains a `?`. */
export function renderQueueDetail(q: QueueFigures): string {
  const lines = columns.map((c) => {
    const key = noteKey[c.header];
    const note = key ? q.notes[key] : undefined;
    return `  ${c.header.padEnd(20)} ${c.value(q)}${note ? `   (${printable(note)})` : ''}`;
  });
  return [`${q.framework} queue "${printable(q.queue)}" on ${printable(q.connection)} (${printable(q.namespace)})`, ...lines.slice(3)].join('\n');
}

const noteKey: Record<string, keyof QueueFigures['notes']> = {
  WAITING: 'waiting', SCHEDULED: 'scheduled', RESERVED: 'reserved', RUNNING: 'running', FAILED: 'failed', DEAD: 'dead',
  RETRYING: 'retrying', OLDEST: 'oldestWaitingAgeMs', THROUGHPUT: 'throughputPerMin', 'WAIT p50/p95': 'waitLatencyMs',
  'RUN p50/p95': 'runLatencyMs', SUCCESS: 'successRatio', 'DRAIN ETA': 'drainEtaMs', 'WORKERS on/busy/off': 'workers',
};
