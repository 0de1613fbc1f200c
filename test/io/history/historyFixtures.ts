import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueFigures, WorkerInfo } from '../../../src-main/contract/figures.js';
import type { PollRecord } from '../../../src-main/core/history/historyStore.js';

/** A whole hour (UTC), so minutes and hours of the timelines below start on their buckets. */
export const t0 = 1_699_999_200_000;
export const sec = 1000;
export const min = 60_000;
export const hour = 3_600_000;
export const day = 24 * hour;

/** One queue's figures at `takenAt`; every figure a number unless overridden. */
export function queue(name: string, takenAt: number, over: Partial<QueueFigures> = {}): QueueFigures {
  return {
    connection: 'prod', framework: 'rq', queue: name, namespace: 'db0',
    waiting: 0, scheduled: 0, reserved: null, running: 0, failed: 0, dead: null, retrying: null,
    oldestWaitingAgeMs: 0, throughputPerMin: 0, waitLatencyMs: null, runLatencyMs: null,
    successRatio: null, drainEtaMs: 0, workers: { online: 1, busy: 0, offline: 0 },
    takenAt, notes: {}, ...over,
  };
}

export function worker(name: string, over: Partial<WorkerInfo> = {}): WorkerInfo {
  return {
    name, framework: 'rq', connection: 'prod', state: 'online', busy: false, lastSeenAt: null,
    currentTask: null, queues: ['default'], hostname: null, pid: null, ...over,
  };
}

/** A good poll of connection `prod` at `at`. */
export function poll(at: number, queues: QueueFigures[], over: Partial<PollRecord> = {}): PollRecord {
  return { connection: 'prod', at, status: 'ok', pollDurationMs: 3, queues, workers: [worker('w1')], pollIntervalMs: 5000, ...over };
}

/** A poll that could not read the broker: no queue is sampled. */
export function unreachablePoll(at: number): PollRecord {
  return { connection: 'prod', at, status: 'unreachable', pollDurationMs: 1000, queues: null, workers: [], pollIntervalMs: 5000 };
}

/** A temporary folder removed by the returned function. */
export function tempDir(): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'task-status-history-'));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
