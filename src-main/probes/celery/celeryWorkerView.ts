import type { WorkerCounts, WorkerInfo } from '../../contract/figures.js';
import type { CeleryEventState, WorkerRecord } from './celeryEventState.js';
import type { TaskSummary } from './celeryTaskSummary.js';

/**
 * Celery's own liveness rule (events/state.py): a worker is alive while `now` is before its last
 * heartbeat's arrival plus `freq` × 2 (HEARTBEAT_EXPIRE_WINDOW = 200 %). A worker that sent
 * `worker-offline` shut down cleanly: it is gone, neither online nor offline.
 */
export function isAlive(worker: WorkerRecord, now: number): boolean {
  return worker.lastSeenAt !== null && now < worker.lastSeenAt + 2 * worker.freqMs;
}

/**
 * Tasks the worker's last heartbeat counted in `active` that no `task-started` heard explains:
 * they started before task-status began listening, or the worker sends no task events (no -E).
 * Both counts are taken at the heartbeat's moment by the worker's own clock, so a task starting
 * or ending around it is not miscounted. `null` before a heartbeat.
 */
export function unheardRunning(worker: WorkerRecord, summary: TaskSummary): number | null {
  if (worker.active === null) return null;
  return Math.max(0, worker.active - (summary.runningAtBeat.get(worker.hostname) ?? 0));
}

/** Whether the worker is executing a task: one heard starting, or one only its heartbeat counts. */
export function isBusy(worker: WorkerRecord, summary: TaskSummary): boolean | null {
  const unheard = unheardRunning(worker, summary);
  if ((summary.runningByWorker.get(worker.hostname)?.count ?? 0) > 0 || (unheard ?? 0) > 0) return true;
  // A worker heard only through task events (no heartbeat yet) runs what those events say.
  return unheard === null && !worker.sendsTaskEvents ? null : false;
}

/**
 * Every worker heard and not gone, as the faces list them. `currentTask` is the latest task heard
 * starting on it and not finishing: for an offline worker, the last one known.
 */
export function workerInfos(state: CeleryEventState, summary: TaskSummary, connection: string, onlyQueue: string | null, now: number, workerQueues?: ReadonlyMap<string, readonly string[]>): WorkerInfo[] {
  const infos: WorkerInfo[] = [];
  for (const w of state.workers.values()) {
    if (w.goneAt !== null || w.lastSeenAt === null) continue;
    const at = w.hostname.indexOf('@');
    const alive = isAlive(w, now);
    infos.push({
      name: w.hostname,
      framework: 'celery',
      connection,
      state: alive ? 'online' : 'offline',
      // An offline worker may have died mid-task or be stuck: whether it works is not known.
      busy: alive ? isBusy(w, summary) : null,
      lastSeenAt: w.lastSeenAt,
      currentTask: summary.runningByWorker.get(w.hostname)?.latest ?? null,
      // Heartbeats do not say which queues a worker consumes; with one queue there is no doubt,
      // and on RabbitMQ the worker's consumers tell.
      queues: workerQueues?.has(w.hostname) ? [...workerQueues.get(w.hostname)!] : onlyQueue === null ? null : [onlyQueue],
      hostname: at >= 0 ? w.hostname.slice(at + 1) : w.hostname,
      pid: w.pid,
      clockSkewMs: w.skewMs,
    });
  }
  return infos.sort((a, b) => a.name.localeCompare(b.name));
}

/** Celery's default heartbeat interval, for workers not heard yet. */
const defaultFreqMs = 2000;

/**
 * Workers whose pidbox binding exists but that were never heard although task-status listened
 * for two heartbeat intervals: the binding is removed on a clean shutdown and stays after a crash
 * (live, SIGKILL), so such a worker died without saying goodbye, possibly before task-status
 * started. The interval is the longest one heard from other workers, else Celery's default.
 */
export function silentHintedWorkers(hints: readonly string[], state: CeleryEventState, connection: string, now: number): WorkerInfo[] {
  if (state.heardSince === null) return [];
  const freqMs = Math.max(defaultFreqMs, ...[...state.workers.values()].map((w) => w.freqMs));
  if (now - state.heardSince < 2 * freqMs) return [];
  return hints.filter((name) => {
    const record = state.workers.get(name);
    return !record || (record.lastSeenAt === null && record.goneAt === null);
  }).map((name) => {
    const at = name.indexOf('@');
    return {
      name, framework: 'celery' as const, connection, state: 'offline' as const, busy: null, lastSeenAt: null,
      currentTask: null, queues: null, hostname: at >= 0 ? name.slice(at + 1) : name, pid: null,
    };
  });
}

export function countWorkers(infos: readonly WorkerInfo[]): WorkerCounts {
  let online = 0;
  let offline = 0;
  let busy: number | null = 0;
  for (const w of infos) {
    if (w.state === 'offline') {
      offline++;
      continue;
    }
    online++;
    if (w.busy === null) busy = null;
    else if (w.busy && busy !== null) busy++;
  }
  return { online, busy, offline };
}
