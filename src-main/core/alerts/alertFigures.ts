import type { AlertFigure, AlertRule, AlertSubject, QueueAlertFigure, RunningTask } from '../../contract/alerts.js';
import type { BrokerFigures, ConnectionView } from '../../contract/dashboard.js';
import type { QueueFigures, WorkerInfo } from '../../contract/figures.js';

/**
 * A connection as the engine reads it. `runningTasks` is where a probe that knows each running
 * task's own start lists them, for per-task timeout rules; without it those rules see nothing.
 */
export type AlertableConnection = ConnectionView & { runningTasks?: readonly RunningTask[] };

const queueFigures: readonly QueueAlertFigure[] = [
  'waiting', 'scheduled', 'reserved', 'running', 'failed', 'dead', 'retrying', 'oldestWaitingAgeMs', 'throughputPerMin',
  'successRatio', 'failureRatio', 'finishedCount', 'drainEtaMs', 'waitLatencyP95Ms', 'runLatencyP95Ms',
  'workersOnline', 'workersBusy', 'workersOffline', 'waitingWithoutConsumer',
];

export function isQueueFigure(figure: string): figure is QueueAlertFigure {
  return (queueFigures as readonly string[]).includes(figure);
}

const otherFigures: readonly string[] = ['connectionStatus', 'brokerMemoryRatio', 'brokerEvictedKeys', 'brokerMemoryAlarm', 'brokerDiskAlarm', 'workerOffline', 'taskRunningMs'];

/** A figure a rule can test: a queue figure, a connection, worker or task figure, or `broker.<field>`. */
export function isKnownFigure(figure: string): figure is AlertFigure {
  return isQueueFigure(figure) || otherFigures.includes(figure) || /^broker\.[A-Za-z]\w*(\.\w+)*$/.test(figure);
}

/** What a figure's instances are. Unknown names are queue figures (and read as `null`). */
export function subjectOf(figure: AlertFigure): AlertSubject {
  if (figure === 'workerOffline') return 'worker';
  if (figure === 'taskRunningMs') return 'task';
  if (figure === 'connectionStatus' || figure.startsWith('broker')) return 'connection';
  return 'queue';
}

/**
 * One queue figure. A ratio with fewer than `rule.minFinished` finished tasks in the window is
 * `null` (too few to judge), except that a failure ratio over a window where nothing finished
 * at all is `0`: no task failed, so a failure incident is over rather than unknown.
 */
export function queueFigure(q: QueueFigures, figure: QueueAlertFigure, rule: Pick<AlertRule, 'minFinished'>): number | null {
  const finished = q.finishedCount ?? null;
  const enough = rule.minFinished === undefined || (finished !== null && finished >= rule.minFinished);
  switch (figure) {
    case 'successRatio':
      return enough ? q.successRatio : null;
    case 'failureRatio':
      if (finished === 0) return 0;
      return enough && q.successRatio !== null ? round4(1 - q.successRatio) : null;
    case 'finishedCount':
      return finished;
    case 'waitLatencyP95Ms':
      return q.waitLatencyMs?.p95 ?? null;
    case 'runLatencyP95Ms':
      return q.runLatencyMs?.p95 ?? null;
    case 'workersOnline':
      return q.workers.online;
    case 'workersBusy':
      return q.workers.busy;
    case 'workersOffline':
      return q.workers.offline;
    case 'waitingWithoutConsumer':
      if (q.waiting === null || q.workers.online === null) return null;
      return q.workers.online > 0 ? 0 : q.waiting;
    default:
      return q[figure];
  }
}

/**
 * One connection figure. Broker figures come from the connection's `broker` block, which other
 * parts fill per broker kind; a figure the block lacks is `null`, so its rules evaluate to
 * nothing until it exists.
 */
export function connectionFigure(c: ConnectionView, figure: AlertFigure): number | string | null {
  if (figure === 'connectionStatus') return c.status;
  const broker = (c.broker ?? null) as Record<string, unknown> | null;
  if (broker === null) return null;
  switch (figure) {
    case 'brokerMemoryRatio': {
      const used = numeric(broker.usedMemoryBytes);
      const max = numeric(broker.maxMemoryBytes);
      return used === null || max === null || max <= 0 ? null : round4(used / max);
    }
    case 'brokerEvictedKeys':
      return numeric(broker.evictedKeysDelta);
    case 'brokerMemoryAlarm':
      return rabbitAlarm(c.broker, 'memoryAlarm');
    case 'brokerDiskAlarm':
      return rabbitAlarm(c.broker, 'diskFreeAlarm');
    default:
      return figure.startsWith('broker.') ? numeric(pathIn(broker, figure.slice('broker.'.length))) : null;
  }
}

/**
 * A RabbitMQ resource alarm over the cluster: 1 when any node raised it, 0 when every node
 * said it is clear, `null` when the nodes cannot be read or one of them does not say (and none
 * raised it). Not a RabbitMQ broker: `null`.
 */
function rabbitAlarm(broker: BrokerFigures | undefined, alarm: 'memoryAlarm' | 'diskFreeAlarm'): number | null {
  if (broker?.kind !== 'rabbitmq' || broker.nodes === null) return null;
  const flags = broker.nodes.map((n) => n[alarm]);
  if (flags.includes(true)) return 1;
  return flags.length > 0 && flags.every((f) => f === false) ? 0 : null;
}

export function workerFigure(w: WorkerInfo): number {
  return w.state === 'offline' ? 1 : 0;
}

function pathIn(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** A number as it is, a boolean as 1 / 0, anything else `null`. */
function numeric(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
