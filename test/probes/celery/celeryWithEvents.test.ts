import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { computeFinishedFigures } from '../../../src-main/core/metrics/finishedFigures.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { CeleryEventState } from '../../../src-main/probes/celery/celeryProbe.js';
import type { ProbeReading, QueueReading } from '../../../src-main/probes/probe.js';
import {
  celeryInspect, destroyAllCeleryWorkers, sendTasks, startCeleryCapture, startCeleryWorker, waitUntil,
  type CeleryAppSettings, type CeleryCapture, type CelerySnapshot,
} from '../../support/celeryWorkers.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { listen, llenAll, namespace, pollNamespace } from './celeryHarness.js';

/**
 * A worker with -E and a producer with task_send_sent_event: every figure that needs events,
 * compared with `celery inspect` (the worker's own answer), celery.events.state.State (the
 * state keeper Flower uses, fed by the same events), the result backend and redis-cli.
 */
describe('celery with task events', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  let events: CeleryEventState;
  let capture: CeleryCapture;
  const app: CeleryAppSettings = { brokerUrl: '', sentEvent: true, trackStarted: true, resultExtended: true };
  const ns = namespace(4);
  const ids: Record<string, string[]> = {};
  const byQueue = (r: ProbeReading) => Object.fromEntries(r.queues.map((q) => [q.queue, q])) as Record<string, QueueReading>;
  const backendStatus = (id: string) => JSON.parse(redis.cli(['GET', `celery-task-meta-${id}`], 5) || '{}').status as string | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    app.brokerUrl = redis.url(4);
    app.backendUrl = redis.url(5);
    events = await listen(pool, ns);
    await startCeleryWorker({ app, name: 'w1@test', queues: ['work'], events: true, concurrency: 1, heartbeatInterval: 1 });
    capture = await startCeleryCapture(app);
  });
  afterAll(async () => {
    await capture?.stop();
    await destroyAllCeleryWorkers();
    await pool.close();
    await redis.stop();
  });

  it('running, reserved, scheduled and waiting equal what the worker and Redis report', async () => {
    ids.sleep = sendTasks(app, [{ task: 'sleep', args: [8], queue: 'work' }]);
    await waitUntil(() => events.tasks.get(ids.sleep![0]!)?.phase === 'started', 'the sleeping task to start');
    ids.prefetched = sendTasks(app, [{ task: 'add', args: [1, 2], queue: 'work', count: 3 }]);
    ids.eta = sendTasks(app, [{ task: 'add', args: [5, 5], queue: 'work', countdown: 120, count: 2 }]);
    ids.idle = sendTasks(app, [{ task: 'add', args: [1, 2], queue: 'idle', count: 2 }]);
    await waitUntil(() => redis.cli(['HLEN', 'unacked'], 4) === '5', 'the worker to take five messages');
    await waitUntil(() => [...ids.prefetched!, ...ids.eta!].every((id) => events.tasks.get(id)?.phase === 'received'), 'task-received events');

    const reading = await pollNamespace(pool, ns, events);
    const snap = await capture.snapshot();
    const active = celeryInspect<unknown[]>(app, 'active', ['w1@test'])['w1@test']!;
    const reserved = celeryInspect<unknown[]>(app, 'reserved', ['w1@test'])['w1@test']!;
    const scheduled = celeryInspect<unknown[]>(app, 'scheduled', ['w1@test'])['w1@test']!;
    const q = byQueue(reading);
    expect(q.work!.running).toBe(active.length);
    expect(q.work!.running).toBe(Object.values(snap.tasks).filter((t) => t.state === 'STARTED').length);
    expect(q.work!.running).toBe(1);
    expect(q.work!.reserved).toBe(reserved.length);
    expect(q.work!.reserved).toBe(3);
    expect(q.work!.scheduled).toBe(scheduled.length);
    expect(q.work!.scheduled).toBe(2);
    expect(q.work!.waiting).toBe(llenAll(redis, 4, 'work'));
    expect(q.idle!.waiting).toBe(llenAll(redis, 4, 'idle'));
    expect(q.idle).toMatchObject({ waiting: 2, running: 0, reserved: 0, scheduled: 0 });
    // Every waiting task of `idle` was heard in task-sent: its oldest is Celery's own `sent` time.
    const oldestSent = Math.min(...ids.idle.map((id) => snap.tasks[id]!.sent!));
    expect(q.idle!.oldestWaitingAt).toBe(Math.round(oldestSent * 1000));
    expect(q.work!.oldestWaitingAt).toBeNull();
    // Two queues: heartbeats do not say which one the worker consumes.
    expect(q.work!.workers).toEqual({ online: null, busy: null, offline: null });
    expect(reading.workers).toEqual([expect.objectContaining({
      name: 'w1@test', state: snap.workers['w1@test']!.alive ? 'online' : 'offline', busy: true, currentTask: ids.sleep[0], hostname: 'test',
    })]);
  });

  it('failed, retrying and finished tasks equal Celery\'s own state and the result backend', async () => {
    ids.failing = sendTasks(app, [{ task: 'fail', args: ['boom'], queue: 'work', count: 2 }]);
    ids.flaky = sendTasks(app, [{ task: 'flaky', args: [1], queue: 'work' }]);
    ids.retrying = sendTasks(app, [{ task: 'flaky', args: [1], kwargs: { countdown: 120 }, queue: 'work' }]);
    const all = [...ids.sleep!, ...ids.prefetched!, ...ids.failing, ...ids.flaky];
    await waitUntil(() => all.every((id) => ['SUCCESS', 'FAILURE'].includes(backendStatus(id) ?? '')), 'tasks to finish', 30_000);
    await waitUntil(() => backendStatus(ids.retrying![0]!) === 'RETRY', 'the retry to be scheduled');
    await waitUntil(() => all.every((id) => ['succeeded', 'failed'].includes(events.tasks.get(id)?.phase ?? '')), 'events of the finished tasks');
    await waitUntil(() => (events.tasks.get(ids.retrying![0]!)?.retriedCount ?? 0) > 0, 'task-retried');

    const reading = await pollNamespace(pool, ns, events);
    const snap: CelerySnapshot = await capture.snapshot();
    const q = byQueue(reading).work!;
    const celeryFailed = Object.values(snap.tasks).filter((t) => t.state === 'FAILURE').length;
    expect(q.failed).toBe(celeryFailed);
    expect(q.failed).toBe(all.filter((id) => backendStatus(id) === 'FAILURE').length);
    expect(q.failed).toBe(2);
    // Retrying is the backend's RETRY (task_track_started: until the next attempt starts). Celery's
    // event state is no reference here: it says RECEIVED when the retry's task-received comes last.
    expect(q.retrying).toBe([...all, ...ids.retrying].filter((id) => backendStatus(id) === 'RETRY').length);
    expect(q.retrying).toBe(1);
    expect(q.running).toBe(0);
    expect(q.scheduled).toBe(celeryInspect<unknown[]>(app, 'scheduled', ['w1@test'])['w1@test']!.length);

    // Finished tasks: one per task that succeeded or failed for good (a retry is not a finish).
    const sample = q.finished!;
    expect(sample.source).toBe('events');
    const finishedInCelery = Object.values(snap.tasks).filter((t) => t.state === 'SUCCESS' || t.state === 'FAILURE');
    expect(sample.tasks.length).toBe(finishedInCelery.length);
    expect(sample.tasks.filter((t) => !t.succeeded).length).toBe(2);
    // Run latency is Celery's own runtime; wait latency is started − sent, as Flower computes it.
    const mine = (id: string) => sample.tasks.find((t) => t.startedAt === Math.round(snap.tasks[id]!.started! * 1000))!;
    const sleep = snap.tasks[ids.sleep![0]!]!;
    expect(mine(ids.sleep![0]!).finishedAt - mine(ids.sleep![0]!).startedAt!).toBe(Math.round(sleep.runtime! * 1000));
    expect(mine(ids.sleep![0]!).startedAt! - mine(ids.sleep![0]!).enqueuedAt!).toBe(Math.round(sleep.started! * 1000) - Math.round(sleep.sent! * 1000));
    const figures = computeFinishedFigures(sample);
    const succeeded = finishedInCelery.filter((t) => t.state === 'SUCCESS').length;
    expect(figures.successRatio).toBe(Math.round((succeeded / finishedInCelery.length) * 10_000) / 10_000);
  });

  it('with task_acks_late the running task stays in unacked, yet is running, not reserved', async () => {
    const late: CeleryAppSettings = { ...app, acksLate: true };
    const previous = await pollNamespace(pool, ns, events);
    await startCeleryWorker({ app: late, name: 'late@test', queues: ['late'], events: true, concurrency: 1, heartbeatInterval: 1 });
    const [sleepId] = sendTasks(late, [{ task: 'sleep', args: [5], queue: 'late' }]);
    const adds = sendTasks(late, [{ task: 'add', args: [2, 3], queue: 'late', count: 2 }]);
    await waitUntil(() => events.tasks.get(sleepId!)?.phase === 'started' && adds.every((id) => events.tasks.get(id)?.phase === 'received'), 'the late worker to start and prefetch');
    const reading = await pollNamespace(pool, ns, events, {}, previous);
    const active = celeryInspect<unknown[]>(late, 'active', ['late@test'])['late@test']!;
    const reserved = celeryInspect<unknown[]>(late, 'reserved', ['late@test'])['late@test']!;
    const unackedLate = redis.cli(['HVALS', 'unacked'], 4).split('\n').filter((v) => v.endsWith('"late"]')).length;
    expect(unackedLate).toBe(3);
    expect(byQueue(reading).late).toMatchObject({ running: active.length, reserved: reserved.length, scheduled: 0 });
    expect([active.length, reserved.length]).toEqual([1, 2]);
  });
});
