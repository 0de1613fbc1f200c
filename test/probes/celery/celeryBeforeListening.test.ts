import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { CeleryEventState } from '../../../src-main/probes/celery/celeryProbe.js';
import type { ProbeReading } from '../../../src-main/probes/probe.js';
import {
  celeryInspect, destroyAllCeleryWorkers, sendTasks, startCeleryWorker, waitUntil, type CeleryAppSettings,
} from '../../support/celeryWorkers.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { listen, namespace, pollNamespace } from './celeryHarness.js';

/**
 * Workers with -E running a task that started before task-status began listening: its events
 * were never heard, only the heartbeats' `active` counts it. With one queue it is counted there;
 * with several its queue is unknown, and the note says so (not "workers without task events").
 * Compared with `celery inspect active`.
 */
describe('celery tasks that started before listening', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  const solo: CeleryAppSettings = { brokerUrl: '', backendUrl: '', sentEvent: true, trackStarted: true };
  const multi: CeleryAppSettings = { brokerUrl: '', backendUrl: '', sentEvent: true, trackStarted: true };
  const soloNs = namespace(1);
  const multiNs = namespace(3);
  let soloEvents: CeleryEventState;
  let multiEvents: CeleryEventState;
  const status = (id: string, db: number) => JSON.parse(redis.cli(['GET', `celery-task-meta-${id}`], db) || '{}').status as string | undefined;
  const active = (app: CeleryAppSettings, name: string) => celeryInspect<{ id: string }[]>(app, 'active', [name])[name]!.map((t) => t.id).sort();
  /** Waits for a heartbeat sent after `since` (epoch ms) that reports `count` running tasks. */
  const beat = (events: CeleryEventState, name: string, count: number, since = Date.now()) =>
    waitUntil(() => {
      const w = events.workers.get(name);
      return w?.active === count && w.lastSeenAt !== null && w.lastSeenAt > since;
    }, `${name} to report ${count} running`);
  const notes = (r: ProbeReading) => Object.fromEntries(r.queues.map((q) => [q.queue, [q.running, q.notes.running ?? null]]));
  let first: { solo: string; multi: string };
  let retried = '';

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    Object.assign(solo, { brokerUrl: redis.url(1), backendUrl: redis.url(2) });
    Object.assign(multi, { brokerUrl: redis.url(3), backendUrl: redis.url(4) });
    await Promise.all([
      startCeleryWorker({ app: solo, name: 'solo@test', queues: ['solo'], events: true, concurrency: 2, heartbeatInterval: 1 }),
      // `other` is declared too, so this namespace has two queues.
      startCeleryWorker({ app: multi, name: 'multi@test', queues: ['work', 'other'], events: true, concurrency: 2, heartbeatInterval: 1 }),
    ]);
    // 20 s: still running after set-up and the first two tests, however loaded the machine.
    const [s] = sendTasks(solo, [{ task: 'sleep', args: [20], queue: 'solo' }]);
    const [m] = sendTasks(multi, [{ task: 'sleep', args: [20], queue: 'work' }]);
    first = { solo: s!, multi: m! };
    // A task retried before listening: its next attempt waits 120 s in the worker (unacked).
    retried = sendTasks(multi, [{ task: 'flaky', args: [1], kwargs: { countdown: 120 }, queue: 'work' }])[0]!;
    await waitUntil(() => status(s!, 2) === 'STARTED' && status(m!, 4) === 'STARTED' && status(retried, 4) === 'RETRY', 'the tasks to start, and to retry, before listening');
    soloEvents = await listen(pool, soloNs);
    multiEvents = await listen(pool, multiNs);
    await Promise.all([beat(soloEvents, 'solo@test', 1), beat(multiEvents, 'multi@test', 1)]);
  }, 60_000);
  afterAll(async () => {
    await destroyAllCeleryWorkers();
    await pool.close();
    await redis.stop();
  });

  it('counts them in a namespace of one queue, and says which are unknown where there are several', async () => {
    const soloReading = await pollNamespace(pool, soloNs, soloEvents);
    expect(soloReading.queues[0]!.running).toBe(active(solo, 'solo@test').length);
    expect(soloReading.queues[0]!.running).toBe(1);
    const multiReading = await pollNamespace(pool, multiNs, multiEvents);
    expect(active(multi, 'multi@test')).toEqual([first.multi]);
    const why = '1 tasks running on multi@test started before task-status began listening, or run without task events (-E): '
      + 'heartbeats count them but do not name their queue';
    expect(notes(multiReading)).toEqual({ other: [null, why], work: [null, why] });
    expect(multiReading.workers!.map((w) => [w.name, w.state, w.busy])).toEqual([['multi@test', 'online', true]]);
  });

  it('retrying counts a retry made before listening, held by the worker; both notes say what was heard', async () => {
    const reading = await pollNamespace(pool, multiNs, multiEvents);
    const work = reading.queues.find((q) => q.queue === 'work')!;
    const unacked = redis.cli(['HVALS', 'unacked'], 3).split('\n').filter((v) => v.includes(retried));
    expect(unacked.map((v) => JSON.parse(v)[0].headers.retries)).toEqual([1]);
    expect(work.retrying).toBe([first.multi, retried].filter((id) => status(id, 4) === 'RETRY').length);
    expect(work.retrying).toBe(1);
    expect(reading.queues.find((q) => q.queue === 'other')!.retrying).toBe(0);
    const heardS = Math.round((reading.takenAt - multiEvents.heardSince!) / 1000);
    expect(work.notes.retrying).toBe(`retried tasks whose next attempt has not started: those heard retrying since task-status began listening ${heardS} s ago, `
      + 'and those a worker holds in unacked (headers.retries > 0); one waiting in its queue list since before then is not counted');
    expect(work.failed).toBe(0);
    expect(work.notes.failed).toBe(`tasks heard failing for good since task-status began listening ${heardS} s ago; earlier failures are not known (as in Flower)`);
  });

  it('still counts them once the worker is heard sending task events', async () => {
    // Long enough to outlive the first tasks by far, however slow `celery inspect` is on a loaded machine.
    const [s] = sendTasks(solo, [{ task: 'sleep', args: [60], queue: 'solo' }]);
    const [m] = sendTasks(multi, [{ task: 'sleep', args: [60], queue: 'work' }]);
    await waitUntil(() => soloEvents.tasks.get(s!)?.phase === 'started' && multiEvents.tasks.get(m!)?.phase === 'started', 'the second tasks to start');
    await Promise.all([beat(soloEvents, 'solo@test', 2), beat(multiEvents, 'multi@test', 2)]);
    const soloReading = await pollNamespace(pool, soloNs, soloEvents);
    expect(soloReading.queues[0]!.running).toBe(active(solo, 'solo@test').length);
    expect(soloReading.queues[0]!.running).toBe(2);
    const multiReading = await pollNamespace(pool, multiNs, multiEvents);
    expect(active(multi, 'multi@test')).toEqual([first.multi, m!].sort());
    const why = '1 tasks running on multi@test started before task-status began listening, or run without task events (-E): '
      + 'heartbeats count them but do not name their queue';
    expect(notes(multiReading)).toEqual({ other: [null, why], work: [null, why] });
    expect(multiReading.workers!.map((w) => [w.name, w.busy, w.currentTask])).toEqual([['multi@test', true, m]]);

    // Once the task from before has finished, the queues' counts are exact again.
    const since = Date.now();
    await waitUntil(() => status(first.multi, 4) === 'SUCCESS' && status(first.solo, 2) === 'SUCCESS', 'the first tasks to finish', 30_000);
    await Promise.all([beat(soloEvents, 'solo@test', 1, since), beat(multiEvents, 'multi@test', 1, since)]);
    expect(active(multi, 'multi@test')).toEqual([m]);
    expect(notes(await pollNamespace(pool, multiNs, multiEvents))).toEqual({ other: [0, null], work: [1, null] });
    expect((await pollNamespace(pool, soloNs, soloEvents)).queues[0]!.running).toBe(1);
  });
});
