import type { CeleryEventState, WorkerRecord } from './celeryEventState.js';

/** Celery's default for a worker known only from task events (events/state.py `Worker.freq`). */
const unknownFreqMs = 60_000;

export function workerRecord(state: CeleryEventState, hostname: string): WorkerRecord {
  let worker = state.workers.get(hostname);
  if (!worker) {
    worker = {
      hostname, pid: null, freqMs: unknownFreqMs, active: null, activeAt: null, processed: null, firstProcessed: null,
      lastSeenAt: null, skewMs: null, goneAt: null, sendsTaskEvents: false, softwareVersion: null,
    };
    state.workers.set(hostname, worker);
  }
  return worker;
}

/**
 * `worker-online`, `worker-heartbeat` (every `freq` s, sent even without -E) and `worker-offline`
 * (a clean shutdown). Liveness is judged later on `lastSeenAt`, the arrival time, never on the
 * sender's clock; the skew is kept for display only.
 */
export function applyWorkerEvent(state: CeleryEventState, type: string, event: Record<string, unknown>, receivedAt: number): void {
  const hostname = event.hostname;
  if (typeof hostname !== 'string') return;
  const worker = workerRecord(state, hostname);
  const pid = typeof event.pid === 'number' ? event.pid : null;
  if (pid !== null && pid !== worker.pid) {
    // A new process under the same name: its counters start again.
    worker.pid = pid;
    worker.firstProcessed = null;
  }
  if (type === 'worker-offline') {
    worker.goneAt = receivedAt;
    worker.active = 0;
    return;
  }
  if (type !== 'worker-heartbeat' && type !== 'worker-online') return;
  worker.goneAt = null;
  worker.lastSeenAt = receivedAt;
  if (typeof event.freq === 'number' && event.freq > 0) worker.freqMs = event.freq * 1000;
  if (typeof event.active === 'number') {
    worker.active = event.active;
    worker.activeAt = typeof event.timestamp === 'number' ? event.timestamp * 1000 : null;
  }
  if (typeof event.processed === 'number') {
    worker.processed = event.processed;
    worker.firstProcessed ??= event.processed;
  }
  if (typeof event.timestamp === 'number') worker.skewMs = Math.round(receivedAt - event.timestamp * 1000);
  if (typeof event.sw_ver === 'string') worker.softwareVersion = event.sw_ver;
}
