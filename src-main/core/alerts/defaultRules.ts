import type { AlertRule } from '../../contract/alerts.js';

const base = { enabled: true, scope: {}, forMs: 0, keepFiringForMs: 0, renotifyMs: null } as const;

/**
 * The rules that ship enabled (issue 4 item 2, ARCHITECTURE.md "Alert levels"); every one can be
 * edited or disabled by id in the config's `rules:`. Thresholds are the issue's; the clear
 * conditions (hysteresis) and `for`s are ours, chosen so that a value wavering around the
 * threshold notifies once:
 * - backlog and age clear 10–20% below the threshold;
 * - no consumer must last a minute: a deploy restarts workers within seconds;
 * - evictions are a per-poll count, so one eviction keeps the alert firing for 10 minutes
 *   instead of resolving at the next poll;
 * - a worker's offline state already includes its framework's grace of missed heartbeats;
 * - a worker or a broker that keeps dropping out and coming back (a worker missing a heartbeat
 *   under load, a flaky link) is one incident: it must stay back 15 s before it resolves.
 */
export const defaultRules: readonly AlertRule[] = [
  { ...base, id: 'backlog', name: 'Backlog over 1000', level: 'warning',
    condition: { figure: 'waiting', op: '>', value: 1000 }, clear: { op: '<=', value: 900 } },
  { ...base, id: 'oldestWaiting', name: 'Oldest waiting task older than 5 min', level: 'warning',
    condition: { figure: 'oldestWaitingAgeMs', op: '>', value: 300_000 }, clear: { op: '<=', value: 240_000 } },
  // Compared with the task's own timeout where its framework records one; 30 min otherwise.
  // Predictive (issue 4 item 3), shipped off: enable it by id. Fires when the least-squares trend
  // of the last 10 minutes passes 1000 within 15 minutes; clears when the trend no longer does.
  { ...base, id: 'backlogForecast', name: 'Backlog passing 1000 within 15 min', level: 'warning', enabled: false,
    condition: { figure: 'waiting', op: '>', value: 1000 }, predict: { horizonMs: 900_000, spanMs: 600_000 } },
  { ...base, id: 'taskTimeout', name: 'Task running past its timeout', level: 'error',
    condition: { figure: 'taskRunningMs', op: '>', value: 1_800_000 } },
  { ...base, id: 'failureRatio', name: 'Failure rate over 5% in 10 min', level: 'critical', minFinished: 20,
    condition: { figure: 'failureRatio', op: '>', value: 0.05 }, clear: { op: '<=', value: 0.04 } },
  { ...base, id: 'workerLost', name: 'Worker gone without a clean shutdown', level: 'emergency', keepFiringForMs: 15_000,
    condition: { figure: 'workerOffline', op: '==', value: 1 } },
  { ...base, id: 'noConsumer', name: 'Waiting work and no consumer', level: 'emergency', forMs: 60_000,
    condition: { figure: 'waitingWithoutConsumer', op: '>', value: 0 } },
  { ...base, id: 'brokerUnreachable', name: 'Broker unreachable', level: 'emergency', keepFiringForMs: 15_000,
    condition: { figure: 'connectionStatus', op: '==', value: 'unreachable' } },
  { ...base, id: 'brokerUnauthorized', name: 'Broker refuses the credentials', level: 'emergency', keepFiringForMs: 15_000,
    condition: { figure: 'connectionStatus', op: '==', value: 'unauthorized' } },
  { ...base, id: 'brokerMemory', name: 'Redis memory near maxmemory', level: 'critical',
    condition: { figure: 'brokerMemoryRatio', op: '>=', value: 0.9 }, clear: { op: '<', value: 0.85 } },
  { ...base, id: 'brokerEvictions', name: 'Redis evicting keys', level: 'critical', keepFiringForMs: 600_000,
    condition: { figure: 'brokerEvictedKeys', op: '>', value: 0 } },
  { ...base, id: 'brokerMemoryAlarm', name: 'RabbitMQ memory alarm', level: 'critical',
    condition: { figure: 'brokerMemoryAlarm', op: '==', value: 1 } },
  { ...base, id: 'brokerDiskAlarm', name: 'RabbitMQ disk alarm', level: 'critical',
    condition: { figure: 'brokerDiskAlarm', op: '==', value: 1 } },
];
