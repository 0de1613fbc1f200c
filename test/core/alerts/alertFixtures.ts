import type { AlertRule, RunningTask } from '../../../src-main/contract/alerts.js';
import type { ConnectionView } from '../../../src-main/contract/dashboard.js';
import type { QueueFigures, WorkerInfo } from '../../../src-main/contract/figures.js';
import type { AlertableConnection } from '../../../src-main/core/alerts/alertFigures.js';
import { defaultRules } from '../../../src-main/core/alerts/defaultRules.js';

export const minute = 60_000;
export const t0 = 1_700_000_000_000;

/** One queue's figures with every figure readable and nothing wrong. */
export function queue(name: string, overrides: Partial<QueueFigures> = {}): QueueFigures {
  return {
    connection: 'prod', framework: 'rq', queue: name, namespace: 'db0',
    waiting: 0, scheduled: 0, reserved: null, running: 0, failed: 0, dead: null, retrying: null,
    oldestWaitingAgeMs: 0, throughputPerMin: null, waitLatencyMs: null, runLatencyMs: null, successRatio: null,
    finishedCount: 0, drainEtaMs: 0, workers: { online: 1, busy: 0, offline: 0 }, takenAt: t0, notes: {},
    ...overrides,
  };
}

export function worker(name: string, overrides: Partial<WorkerInfo> = {}): WorkerInfo {
  return {
    name, framework: 'rq', connection: 'prod', state: 'online', busy: false, lastSeenAt: t0,
    currentTask: null, queues: ['default'], hostname: 'host', pid: 1, ...overrides,
  };
}

export function task(id: string, startedAt: number, timeoutMs: number | null, overrides: Partial<RunningTask> = {}): RunningTask {
  return { id, framework: 'rq', connection: 'prod', queue: 'default', name: 'jobs.slow', worker: 'w1', startedAt, timeoutMs, ...overrides };
}

/** The connection `prod` after a good poll at `at`. */
export function connection(at: number, overrides: Partial<AlertableConnection> = {}): AlertableConnection {
  const view: ConnectionView = {
    id: 'prod', url: 'redis://127.0.0.1:6390/0', status: 'ok', statusReason: null, frameworks: ['rq'],
    queues: [], workers: [], takenAt: at, lastGoodPollAt: at, pollDurationMs: 2, commandsPerPoll: 3, roundTripsPerPoll: 1,
  };
  return { ...view, ...overrides };
}

/** A default rule by id, with overrides. */
export function rule(id: string, overrides: Partial<AlertRule> = {}): AlertRule {
  const found = defaultRules.find((r) => r.id === id);
  if (!found) throw new Error(`no default rule ${id}`);
  return { ...found, ...overrides };
}
