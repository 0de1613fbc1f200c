import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { celeryProbe, type CeleryEventState } from '../../../src-main/probes/celery/celeryProbe.js';
import {
  celeryInspect, destroyAllCeleryWorkers, sendTasks, startCeleryCapture, startCeleryWorker, waitUntil,
  type CeleryAppSettings, type CeleryCapture, type CeleryWorker,
} from '../../support/celeryWorkers.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { contextFor, listen, namespace, pollNamespace } from './celeryHarness.js';

/**
 * Workers without -E send heartbeats only: workers are seen and judged by heartbeat age, the
 * running count comes from heartbeats, task figures are null. A SIGKILLed worker turns offline
 * within freq × 2; a SIGTERMed one says goodbye and is gone. A prefixed app in another database
 * is heard on its own channel and never mixed in.
 */
describe('celery heartbeats without task events', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  let events: CeleryEventState;
  let other: CeleryEventState;
  let unscoped: CeleryEventState;
  let capture: CeleryCapture;
  let a: CeleryWorker;
  let b: CeleryWorker;
  const app: CeleryAppSettings = { brokerUrl: '', backendUrl: '' };
  const prefixed: CeleryAppSettings = { brokerUrl: '', keyPrefix: 'qlab:' };
  const fanout: CeleryAppSettings = { brokerUrl: '', keyPrefix: 'fan:', noFanoutPrefix: true };
  const ns = namespace(6);
  const otherNs = namespace(7, 'qlab:');
  const fanoutNs = namespace(8, 'fan:');
  const freqS = 1;

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    app.brokerUrl = redis.url(6);
    app.backendUrl = redis.url(6);
    prefixed.brokerUrl = redis.url(7);
    fanout.brokerUrl = redis.url(8);
    events = await listen(pool, ns);
    other = await listen(pool, otherNs);
    unscoped = await listen(pool, fanoutNs);
    [a, b] = await Promise.all([
      startCeleryWorker({ app, name: 'a@test', queues: ['solo'], events: false, heartbeatInterval: freqS }),
      startCeleryWorker({ app, name: 'b@test', queues: ['solo'], events: false, heartbeatInterval: freqS }),
      startCeleryWorker({ app: prefixed, name: 'p@test', queues: ['celery'], events: true, heartbeatInterval: freqS }),
      startCeleryWorker({ app: fanout, name: 'f@test', queues: ['celery'], events: false, heartbeatInterval: freqS }),
    ]);
    capture = await startCeleryCapture(app);
    await waitUntil(() => events.workers.size === 2 && other.workers.size === 1 && unscoped.workers.size === 1, 'heartbeats of the four workers');
    await waitUntil(async () => Object.keys((await capture.snapshot()).workers).length === 2, 'Celery\'s own state to hear both workers');
  });
  afterAll(async () => {
    await capture?.stop();
    await destroyAllCeleryWorkers();
    await pool.close();
    await redis.stop();
  });

  it('workers online as Celery itself sees them; each database hears only its own', async () => {
    const reading = await pollNamespace(pool, ns, events);
    const snap = await capture.snapshot();
    const alive = Object.entries(snap.workers).filter(([, w]) => w.alive).map(([name]) => name).sort();
    expect(reading.workers!.filter((w) => w.state === 'online').map((w) => w.name)).toEqual(alive);
    expect(alive).toEqual(['a@test', 'b@test']);
    expect(Object.keys(celeryInspect(app, 'ping', ['a@test', 'b@test'])).sort()).toEqual(alive);
    expect(reading.queues[0]!.workers).toEqual({ online: 2, busy: 0, offline: 0 });
    const prefixedReading = await pollNamespace(pool, otherNs, other);
    expect(prefixedReading.workers!.map((w) => [w.name, w.state])).toEqual([['p@test', 'online']]);
    // fanout_prefix=False: kombu publishes on `fan:celeryev/<rk>`, without the database.
    const unscopedReading = await pollNamespace(pool, fanoutNs, unscoped);
    expect(unscopedReading.workers!.map((w) => [w.name, w.state])).toEqual([['f@test', 'online']]);
  });

  it('running comes from heartbeats; failed and retrying are null once tasks ran unseen', async () => {
    const [sleepId] = sendTasks(app, [{ task: 'sleep', args: [4], queue: 'solo' }]);
    await waitUntil(() => [...events.workers.values()].some((w) => w.active === 1), 'a heartbeat reporting the running task');
    const reading = await pollNamespace(pool, ns, events);
    const active = Object.values(celeryInspect<unknown[]>(app, 'active', ['a@test', 'b@test'])).reduce((n, list) => n + list.length, 0);
    const q = reading.queues[0]!;
    expect(q.running).toBe(active);
    expect(q.running).toBe(1);
    expect(q.workers).toEqual({ online: 2, busy: 1, offline: 0 });
    expect(q.failed).toBeNull();
    expect(q.retrying).toBeNull();
    expect(q.notes.failed).toMatch(/without sending task events/);
    expect(q.finished).toBeUndefined();
    expect(events.tasks.size).toBe(0);
    await waitUntil(() => JSON.parse(redis.cli(['GET', `celery-task-meta-${sleepId}`], 6) || '{}').status === 'SUCCESS', 'the task to finish');
  });

  it('a SIGKILLed worker turns offline within freq × 2, its pidbox binding stays behind', async () => {
    await a.kill();
    const killedAt = Date.now();
    // A heartbeat already on the wire may still arrive: take the last one after it would have.
    await new Promise((r) => setTimeout(r, 300));
    const lastSeen = events.workers.get('a@test')!.lastSeenAt!;
    await new Promise((r) => setTimeout(r, lastSeen + 2 * freqS * 1000 - Date.now() + 100));
    const reading = await pollNamespace(pool, ns, events);
    const snap = await capture.snapshot();
    expect(Date.now() - killedAt).toBeLessThan(2 * freqS * 1000 + 1500);
    expect(snap.workers['a@test']!.alive).toBe(false);
    // Whether a dead worker was busy is unknown.
    expect(reading.workers!.map((w) => [w.name, w.state, w.busy])).toEqual([['a@test', 'offline', null], ['b@test', 'online', false]]);
    expect(reading.queues[0]!.workers).toEqual({ online: 1, busy: 0, offline: 1 });
    const discovery = await celeryProbe.discover(contextFor(pool, 6), ns);
    expect(discovery.workerHints).toContain('a@test');
  });

  it('a SIGTERMed worker says worker-offline and is gone, neither online nor offline', async () => {
    await b.stop();
    await waitUntil(() => events.workers.get('b@test')?.goneAt != null, 'worker-offline');
    const reading = await pollNamespace(pool, ns, events);
    const snap = await capture.snapshot();
    // Celery's own state clears the worker's heartbeats on worker-offline: not alive.
    expect(snap.workers['b@test']!.alive).toBe(false);
    expect(reading.workers!.map((w) => w.name)).toEqual(['a@test']);
    expect(reading.queues[0]!.workers).toEqual({ online: 0, busy: 0, offline: 1 });
    const discovery = await celeryProbe.discover(contextFor(pool, 6), ns);
    expect(discovery.workerHints).not.toContain('b@test');
  });
});
