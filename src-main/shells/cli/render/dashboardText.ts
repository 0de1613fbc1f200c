import pc from 'picocolors';
import type { ConnectionView, DashboardView, RabbitBrokerFigures, RedisBrokerFigures } from '../../../contract/dashboard.js';
import type { WorkerInfo } from '../../../contract/figures.js';
import { formatAgo, formatDuration, formatTime, printable, unknownMark } from '../format.js';
import { describeError } from '../messages.js';
import { renderQueueTable } from './queueRows.js';
import { renderTable } from './table.js';

const statusStyle: Record<ConnectionView['status'], (s: string) => string> = {
  ok: pc.green, degraded: pc.yellow, unreachable: pc.red, unauthorized: pc.red,
};
const statusMark: Record<ConnectionView['status'], string> = { ok: '●', degraded: '▲', unreachable: '✖', unauthorized: '✖' };

export function renderConnectionHeader(c: ConnectionView, now: number): string {
  const status = statusStyle[c.status](`${statusMark[c.status]} ${c.status.toUpperCase()}`);
  const read = c.takenAt === null ? 'never read' : `read ${formatTime(c.takenAt)}`;
  const poll = c.pollDurationMs === null ? '' : `, poll ${formatDuration(c.pollDurationMs)}, ${c.roundTripsPerPoll} round trip${c.roundTripsPerPoll === 1 ? '' : 's'}`;
  const lines = [`${pc.bold(printable(c.id))}  ${printable(c.url)}  ${status}  ${c.frameworks.join(', ') || 'no framework found'}  (${read}${poll})`];
  if (c.broker?.kind === 'redis') lines.push(`  ${renderRedisBroker(c.broker)}`);
  if (c.broker?.kind === 'rabbitmq') lines.push(`  ${renderRabbitBroker(c.broker)}`);
  if (c.statusReason) lines.push(`  ${statusStyle[c.status](describeError(c.statusReason))}`);
  if (c.status !== 'ok' && c.lastGoodPollAt !== null && c.lastGoodPollAt !== c.takenAt) lines.push(`  last good poll ${formatAgo(c.lastGoodPollAt, now)}`);
  return lines.join('\n');
}

function formatBytes(n: number | null): string {
  if (n === null) return unknownMark;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** One line of broker health: `redis 7.0.15 · memory 1.2 MB of 20.0 MB (noeviction) · CPU 0.4% · …`. */
export function renderRedisBroker(b: RedisBrokerFigures): string {
  const num = (n: number | null, suffix = '') => (n === null ? unknownMark : `${n}${suffix}`);
  const limit = b.maxMemoryBytes === null ? unknownMark : b.maxMemoryBytes === 0 ? 'no limit' : formatBytes(b.maxMemoryBytes);
  const evicted = b.evictedKeys === null ? unknownMark
    : `${b.evictedKeys}${b.evictedKeysDelta === null ? '' : ` (+${b.evictedKeysDelta} since last poll)`}`;
  const parts = [
    `redis ${b.version === null ? unknownMark : printable(b.version)}${b.nodes > 1 ? ` ×${b.nodes} masters` : ''}`,
    `memory ${formatBytes(b.usedMemoryBytes)} of ${limit}${b.maxMemoryPolicy ? ` (${printable(b.maxMemoryPolicy)})` : ''}`,
    `frag ${num(b.memFragmentationRatio)}`,
    `CPU ${num(b.cpuPercent, '%')}`,
    `${num(b.connectedClients)} clients`,
    `${num(b.opsPerSec)} ops/s`,
    `evicted ${evicted}`,
    `up ${b.uptimeSeconds === null ? unknownMark : formatDuration(b.uptimeSeconds * 1000)}`,
  ];
  const line = parts.join(' · ');
  return b.evictedKeysDelta !== null && b.evictedKeysDelta > 0 ? pc.yellow(line) : pc.dim(line);
}

/**
 * One line of RabbitMQ health: `rabbitmq 3.10.8 · rabbit@h: memory 130.2 MB of 9.4 GB, disk free
 * 77.6 GB (alarm below 47.7 MB), fds 40/20000 · alarms none`; red while an alarm is in effect.
 */
export function renderRabbitBroker(b: RabbitBrokerFigures): string {
  const parts = [`rabbitmq ${b.version === null ? unknownMark : printable(b.version)}`];
  if (b.nodes === null) parts.push(`nodes ${unknownMark}`);
  for (const n of b.nodes ?? []) {
    const fds = n.fdUsedCount === null && n.fdTotalCount === null ? unknownMark : `${n.fdUsedCount ?? unknownMark}/${n.fdTotalCount ?? unknownMark}`;
    parts.push(`${printable(n.name)}${n.running === false ? ' (not running)' : ''}: memory ${formatBytes(n.memoryUsedBytes)} of ${formatBytes(n.memoryLimitBytes)}, `
      + `disk free ${formatBytes(n.diskFreeBytes)} (alarm below ${formatBytes(n.diskFreeLimitBytes)}), fds ${fds}`);
  }
  parts.push(`alarms ${b.alarms === null ? unknownMark : b.alarms.length === 0 ? 'none' : printable(b.alarms.join(', '))}`);
  const line = parts.join(' · ');
  return b.alarms !== null && b.alarms.length > 0 ? pc.red(line) : pc.dim(line);
}

export function renderWorkers(workers: readonly WorkerInfo[], now: number): string {
  return renderTable(workers, [
    { header: 'WORKER', value: (w) => printable(w.name) },
    { header: 'FRAMEWORK', value: (w) => w.framework },
    { header: 'STATE', value: (w) => w.state },
    { header: 'BUSY', value: (w) => (w.busy === null ? unknownMark : w.busy ? 'yes' : 'no') },
    { header: 'LAST SEEN', value: (w) => formatAgo(w.lastSeenAt, now) },
    { header: 'CURRENT TASK', value: (w) => printable(w.currentTask ?? '') },
    { header: 'QUEUES', value: (w) => (w.queues === null ? unknownMark : printable(w.queues.join(','))) },
  ], (w, column, cell) => (column === 'STATE' && w.state === 'offline' ? pc.red(cell) : cell));
}

/** The human dashboard: per connection a header, its queues and its workers. */
export function renderDashboard(view: DashboardView): string {
  const blocks = view.connections.map((c) => {
    const parts = [renderConnectionHeader(c, view.generatedAt)];
    if (c.queues.length) parts.push(renderQueueTable(c.queues));
    else if (c.status === 'ok' || c.status === 'degraded') parts.push('  no queues found');
    if (c.workers.length) parts.push(renderWorkers(c.workers, view.generatedAt));
    return parts.join('\n\n');
  });
  blocks.push(pc.dim(`${unknownMark} = cannot tell (--json gives the reason in "notes"); times are local (${formatTime(view.generatedAt).split(' ').at(-1)})`));
  return blocks.join('\n\n');
}
