import type { RabbitBrokerFigures, RabbitNodeFigures } from '../../contract/dashboard.js';
import type { RabbitNodeStats, RabbitOverview } from './rabbitTypes.js';

/**
 * The contract's broker figures from `/api/nodes` and `/api/overview`. `nodes` is a string when
 * they could not be read: the reason, kept as the note (the queues may still be fine).
 */
export function rabbitBrokerFigures(takenAt: number, overview: RabbitOverview | string, nodes: RabbitNodeStats[] | string): RabbitBrokerFigures {
  const notes: RabbitBrokerFigures['notes'] = {};
  const version = typeof overview === 'string' ? null : overview.rabbitmqVersion ?? null;
  if (version === null) notes.version = typeof overview === 'string' ? overview : 'the overview did not say';
  if (typeof nodes === 'string') {
    notes.nodes = nodes;
    notes.alarms = nodes;
    return { kind: 'rabbitmq', takenAt, version, nodes: null, alarms: null, notes };
  }
  const figures = nodes.map(nodeFigures);
  const alarms = figures.flatMap((n) => [
    ...(n.memoryAlarm ? [`memory alarm on ${n.name}`] : []),
    ...(n.diskFreeAlarm ? [`disk alarm on ${n.name}`] : []),
    ...(n.running === false ? [`${n.name} is not running`] : []),
    ...(n.partitions && n.partitions.length ? [`${n.name} is partitioned from ${n.partitions.join(', ')}`] : []),
  ]);
  const statsOff = typeof overview !== 'string' && overview.isStatsDisabled;
  if (statsOff) notes.nodes = 'RabbitMQ\'s statistics collector is off (management_agent.disable_metrics_collector): the nodes report no memory, disk or file descriptor figures';
  const unknown = figures.some((n) => n.memoryAlarm === null || n.diskFreeAlarm === null);
  if (unknown) notes.alarms = statsOff ? 'RabbitMQ\'s statistics collector is off: the nodes report no alarms' : 'some nodes did not report their alarms';
  return { kind: 'rabbitmq', takenAt, version, nodes: figures, alarms: unknown && alarms.length === 0 ? null : alarms, notes };
}

function nodeFigures(n: RabbitNodeStats): RabbitNodeFigures {
  return {
    name: n.name,
    running: n.running ?? null,
    memoryUsedBytes: n.memUsed ?? null,
    memoryLimitBytes: n.memLimit ?? null,
    memoryAlarm: n.memAlarm ?? null,
    diskFreeBytes: n.diskFree ?? null,
    diskFreeLimitBytes: n.diskFreeLimit ?? null,
    diskFreeAlarm: n.diskFreeAlarm ?? null,
    fdUsedCount: n.fdUsed ?? null,
    fdTotalCount: n.fdTotal ?? null,
    socketsUsedCount: n.socketsUsed ?? null,
    socketsTotalCount: n.socketsTotal ?? null,
    processesUsedCount: n.procUsed ?? null,
    processesTotalCount: n.procTotal ?? null,
    uptimeMs: n.uptimeMs ?? null,
    partitions: n.partitions ?? null,
  };
}
