import { describe, expect, it } from 'vitest';
import { createEventState, type WorkerRecord } from '../../../src-main/probes/celery/celeryEventState.js';
import { silentHintedWorkers } from '../../../src-main/probes/celery/celeryWorkerView.js';

const t0 = 1_800_000_000_000;
function heard(hostname: string, freqMs: number, lastSeenAt: number | null, goneAt: number | null = null): WorkerRecord {
  return { hostname, pid: 1, freqMs, active: 0, activeAt: null, processed: 0, firstProcessed: 0, lastSeenAt, skewMs: 0, goneAt, sendsTaskEvents: true, softwareVersion: null };
}

describe('silentHintedWorkers: a pidbox binding never heard from is a crashed worker', () => {
  it('needs two heartbeat intervals of listening before it says so', () => {
    const state = createEventState();
    state.heardSince = t0;
    expect(silentHintedWorkers(['dead@h'], state, 'c', t0 + 3999)).toEqual([]);
    expect(silentHintedWorkers(['dead@h'], state, 'c', t0 + 4000)).toEqual([{
      name: 'dead@h', framework: 'celery', connection: 'c', state: 'offline', busy: null, lastSeenAt: null,
      currentTask: null, queues: null, hostname: 'h', pid: null,
    }]);
  });

  it('waits for the longest interval heard from the other workers', () => {
    const state = createEventState();
    state.heardSince = t0;
    state.workers.set('slow@h', heard('slow@h', 10_000, t0 + 100));
    expect(silentHintedWorkers(['dead@h', 'slow@h'], state, 'c', t0 + 19_999)).toEqual([]);
    expect(silentHintedWorkers(['dead@h', 'slow@h'], state, 'c', t0 + 20_000).map((w) => w.name)).toEqual(['dead@h']);
  });

  it('says nothing before listening began, nor of workers heard or gone', () => {
    const state = createEventState();
    expect(silentHintedWorkers(['dead@h'], state, 'c', t0 + 60_000)).toEqual([]);
    state.heardSince = t0;
    state.workers.set('live@h', heard('live@h', 2000, t0 + 50_000));
    state.workers.set('bye@h', heard('bye@h', 2000, null, t0 + 1000));
    expect(silentHintedWorkers(['live@h', 'bye@h'], state, 'c', t0 + 60_000)).toEqual([]);
  });
});
