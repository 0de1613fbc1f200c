import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../src-main/contract/dashboard.js';
import type { FrameworkConfig } from '../../../src-main/contract/config.js';
import type { QueueFigures } from '../../../src-main/contract/figures.js';
import { createApp } from '../../../src-main/bootstrap/createApp.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { resolveRabbitConnection } from '../../../src-main/core/config/resolveRabbit.js';
import { systemClock } from '../../../src-main/io/clock.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { AmqplibEventListener } from '../../../src-main/io/rabbitmq/celeryEventsConsumer.js';
import { HttpRabbitTopology } from '../../../src-main/io/rabbitmq/celeryEventsTopology.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { RabbitConnectionSession } from '../../../src-main/monitor/rabbitSession.js';
import { RabbitProbeStates } from '../../../src-main/monitor/rabbitProbeStates.js';
import type { CeleryEventState } from '../../../src-main/probes/celery/celeryEventState.js';
import { celeryRabbitProbe } from '../../../src-main/probes/celery/rabbitmq/celeryRabbitProbe.js';
import { rabbitProbeRegistry } from '../../../src-main/probes/registry.js';
import {
  celeryInspect, destroyAllCeleryWorkers, sendTasks, startCeleryCapture, startCeleryWorker, waitUntil,
  type CeleryAppSettings, type CeleryCapture, type CeleryWorker,
} from '../../support/celeryWorkers.js';
import { startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';

/**
 * Celery 5.2.6 workers on a private RabbitMQ node (management on, statistics every 500 ms) with a
 * private Redis as result backend, watched by a RabbitMQ session as the app wires it. Every figure
 * is compared with what RabbitMQ (rabbitmqctl list_queues), Celery (`celery inspect`, its own
 * event state) and the result backend say.
 */
describe('Celery on RabbitMQ, live', () => {
  let rabbit: PrivateRabbit;
  let redis: PrivateRedis;
  let capture: CeleryCapture;
  let backend: IoRedisPool;
  const closers: { close(): Promise<void> }[] = [];
  const app: CeleryAppSettings = { brokerUrl: '', sentEvent: true, prefetch: 4 };
  const ids: Record<string, string[]> = {};
  const freqS = 1;
  let session: RabbitConnectionSession;
  let states: RabbitProbeStates;

  function watch(frameworks: FrameworkConfig, where: { apiUrl?: string; queues?: string[] } = {}): { session: RabbitConnectionSession; states: RabbitProbeStates } {
    const connection = resolveRabbitConnection({
      kind: 'rabbitmq', url: rabbit.amqpUrl(), apiUrl: where.apiUrl ?? rabbit.apiUrl(), frameworks: { celery: frameworks }, ...(where.queues ? { queues: where.queues } : {}),
    }, {});
    const management = new HttpRabbitManagement({ api: connection.target.api });
    const amqp = new AmqplibQueueChecker({ target: connection.target });
    const options = { rateWindowMs: 600_000, discoveryIntervalMs: 300, detectIntervalMs: 300_000, sampleIntervalMs: 30_000, minFinished: 1 };
    const probeStates = new RabbitProbeStates({
      connection, probes: rabbitProbeRegistry, clock: systemClock, resultBackend: backend.reader(1),
      topology: new HttpRabbitTopology({ api: connection.target.api }), listener: new AmqplibEventListener({ target: connection.target }),
      rateWindowMs: options.rateWindowMs, discoveryIntervalMs: options.discoveryIntervalMs,
    });
    closers.push(management, amqp, probeStates);
    return { session: new RabbitConnectionSession({ connection, management, amqp, probes: rabbitProbeRegistry, clock: systemClock, options, probeStates }), states: probeStates };
  }
  const events = () => states.stateOf(rabbitProbeRegistry[0]!)!.events as CeleryEventState;
  const queueOf = (view: ConnectionView, name: string): QueueFigures => {
    const q = view.queues.find((f) => f.queue === name && f.framework === 'celery');
    if (!q) throw new Error(`no queue ${name} in ${view.queues.map((f) => `${f.framework}:${f.queue}`).join(', ')}`);
    return q;
  };
  /** rabbitmqctl's own counts (no statistics delay), per queue. */
  const ctlCounts = () => Object.fromEntries(rabbit.listQueues('/', ['messages_ready', 'messages_unacknowledged'])
    .map((q) => [q.name as string, { ready: q.messages_ready as number, unacked: q.messages_unacknowledged as number }]));
  /** Polls until the management API's counts caught up with rabbitmqctl's for these queues. */
  async function settledPoll(queues: string[]): Promise<ConnectionView> {
    let view: ConnectionView | null = null;
    await waitUntil(async () => {
      view = await session.poll();
      const ctl = ctlCounts();
      return queues.every((name) => {
        const q = view!.queues.find((f) => f.queue === name);
        // Under early ack (these tests) the running tasks' messages are acknowledged: unacked = reserved + scheduled.
        return q && ctl[name] && q.waiting === ctl[name].ready && q.reserved !== null && q.scheduled !== null && q.reserved + q.scheduled === ctl[name].unacked;
      });
    }, 'RabbitMQ statistics to catch up', 15_000).catch((error: unknown) => {
      const last = view as ConnectionView | null;
      throw new Error(`${(error as Error).message}: ${JSON.stringify(last?.queues.map((q) => [q.queue, q.waiting, q.reserved, q.scheduled, q.running, q.notes.reserved]))} vs ${JSON.stringify(ctlCounts())}`);
    });
    return view!;
  }
  const backendStatus = (id: string) => JSON.parse(redis.cli(['GET', `celery-task-meta-${id}`], 1) || '{}').status as string | undefined;

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([startRabbit({ management: true, config: ['collect_statistics_interval = 500'] }), startRedis()]);
    backend = new IoRedisPool({ target: parseRedisUrl(redis.url(1)), label: 'backend' });
    app.brokerUrl = rabbit.amqpUrl();
    app.backendUrl = redis.url(1);
    ({ session, states } = watch({}));
    const first = await session.poll();
    // Nothing of Celery yet: no claims, no listening, nothing declared by task-status.
    expect(first.frameworks).toEqual([]);
    await startCeleryWorker({ app, name: 'w1@test', queues: ['work'], events: true, concurrency: 1, heartbeatInterval: freqS });
    capture = await startCeleryCapture(app);
  }, 120_000);
  afterAll(async () => {
    await capture?.stop();
    await destroyAllCeleryWorkers();
    await Promise.all(closers.map((c) => c.close()));
    await backend?.close();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  }, 60_000);

  it('finds Celery, and listens on one exclusive auto-delete queue bound to celeryev: its only footprint', async () => {
    await waitUntil(async () => {
      const view = await session.poll();
      // The management API shows a new worker's consumers at its next statistics emission.
      return events().workers.get('w1@test')?.lastSeenAt != null && view.queues.some((q) => q.framework === 'celery');
    }, 'the first heartbeat heard over AMQP and the worker\'s queue found');
    const view = await session.poll();
    expect(view.frameworks).toEqual(['celery']);
    expect(view.queues.map((q) => `${q.framework}:${q.queue}`)).toEqual(['celery:work']);
    const own = (await rabbit.api('/api/queues/%2F?columns=name,exclusive,auto_delete,durable')) as { name: string; exclusive: boolean; auto_delete: boolean; durable: boolean }[];
    const mine = own.filter((q) => q.name.startsWith('celeryev.task-status.'));
    expect(mine).toEqual([{ name: expect.any(String), exclusive: true, auto_delete: true, durable: false }]);
    const bindings = (await rabbit.api(`/api/bindings/%2F?columns=source,destination,routing_key`)) as { source: string; destination: string; routing_key: string }[];
    expect(bindings.filter((b) => b.destination === mine[0]!.name && b.source !== '').map((b) => `${b.source} ${b.routing_key}`).sort())
      .toEqual(['celeryev task.#', 'celeryev worker.#']);
    expect(view.workers.map((w) => [w.name, w.state, w.queues])).toEqual([['w1@test', 'online', ['work']]]);
    // Same host: the skew is the transit time, and it is what the fold measured from the heartbeat.
    expect(view.workers[0]!.clockSkewMs).toBe(events().workers.get('w1@test')!.skewMs);
    expect(Math.abs(view.workers[0]!.clockSkewMs!)).toBeLessThan(1000);
  });

  it('waiting, reserved, scheduled, running and workers equal what RabbitMQ and the worker report', async () => {
    ids.sleep = sendTasks(app, [{ task: 'sleep', args: [45], queue: 'work' }]);
    await waitUntil(() => events().tasks.get(ids.sleep![0]!)?.phase === 'started', 'the sleeping task to start');
    ids.prefetched = sendTasks(app, [{ task: 'add', args: [1, 2], queue: 'work', count: 3 }]);
    ids.eta = sendTasks(app, [{ task: 'add', args: [5, 5], queue: 'work', countdown: 120, count: 2 }]);
    ids.extra = sendTasks(app, [{ task: 'add', args: [2, 2], queue: 'work', count: 2 }]);
    ids.idle = sendTasks(app, [{ task: 'add', args: [1, 2], queue: 'idle', count: 2 }]);
    await waitUntil(() => ctlCounts().work?.unacked === 6, 'the worker to hold six messages (prefetch 4 plus two ETA)');
    await waitUntil(() => [...ids.eta!].every((id) => events().tasks.get(id)?.phase === 'received'), 'task-received events');

    await waitUntil(async () => (await capture.snapshot()).tasks[ids.sleep![0]!]?.state === 'STARTED', 'Celery\'s own state to hear the start');
    const view = await settledPoll(['work', 'idle']);
    const ctl = ctlCounts();
    const active = celeryInspect<unknown[]>(app, 'active', ['w1@test'])['w1@test']!;
    const reserved = celeryInspect<unknown[]>(app, 'reserved', ['w1@test'])['w1@test']!;
    const scheduled = celeryInspect<unknown[]>(app, 'scheduled', ['w1@test'])['w1@test']!;
    const snap = await capture.snapshot();
    const work = queueOf(view, 'work');
    expect(work.waiting).toBe(ctl.work!.ready);
    expect(work.waiting).toBe(1);
    expect(work.running).toBe(active.length);
    expect(work.running).toBe(Object.values(snap.tasks).filter((t) => t.state === 'STARTED').length);
    expect(work.running).toBe(1);
    expect(work.scheduled).toBe(scheduled.length);
    expect(work.scheduled).toBe(2);
    expect(work.reserved).toBe(reserved.length);
    expect(work.reserved).toBe(4);
    // Early ack: the running task's message is acknowledged, so unacked = reserved + scheduled.
    expect(work.reserved! + work.scheduled!).toBe(ctl.work!.unacked);
    expect(work.workers).toEqual({ online: 1, busy: 1, offline: 0 });
    // `idle` has no consumer: found through the producer's task-sent events.
    const idle = queueOf(view, 'idle');
    expect(idle).toMatchObject({ waiting: ctl.idle!.ready, reserved: 0, scheduled: 0, running: 0, workers: { online: 0, busy: 0, offline: 0 } });
    expect(idle.waiting).toBe(2);
    // Every waiting task of `idle` was heard in task-sent: its age is from Celery's own `sent` time.
    const oldestSent = Math.min(...ids.idle.map((id) => snap.tasks[id]!.sent!));
    expect(idle.oldestWaitingAgeMs).toBe(view.takenAt! - Math.round(oldestSent * 1000));
    expect(view.workers).toEqual([expect.objectContaining({ name: 'w1@test', state: 'online', busy: true, currentTask: ids.sleep[0], queues: ['work'] })]);
  }, 60_000);

  it('failed, retrying and finished tasks equal Celery\'s own state and the result backend', async () => {
    ids.failing = sendTasks(app, [{ task: 'fail', args: ['boom'], queue: 'work', count: 2 }]);
    ids.flaky = sendTasks(app, [{ task: 'flaky', args: [1], queue: 'work' }]);
    ids.retrying = sendTasks(app, [{ task: 'flaky', args: [1], kwargs: { countdown: 120 }, queue: 'work' }]);
    const all = [...ids.sleep!, ...ids.prefetched!, ...ids.extra!, ...ids.failing, ...ids.flaky];
    await waitUntil(() => all.every((id) => ['SUCCESS', 'FAILURE'].includes(backendStatus(id) ?? '')), 'tasks to finish', 90_000);
    await waitUntil(() => backendStatus(ids.retrying![0]!) === 'RETRY', 'the retry to be scheduled');
    await waitUntil(() => all.every((id) => ['succeeded', 'failed'].includes(events().tasks.get(id)?.phase ?? '')), 'events of the finished tasks');
    await waitUntil(() => events().tasks.get(ids.retrying![0]!)?.phase === 'received', 'the retry received with its eta').catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify({ ...events().tasks.get(ids.retrying![0]!), traceback: null })}`);
    });

    const view = await settledPoll(['work']);
    const snap = await capture.snapshot();
    const work = queueOf(view, 'work');
    const celeryFailed = Object.values(snap.tasks).filter((t) => t.state === 'FAILURE').length;
    expect(work.failed).toBe(celeryFailed);
    expect(work.failed).toBe(all.filter((id) => backendStatus(id) === 'FAILURE').length);
    expect(work.failed).toBe(2);
    expect(work.notes.failed).toMatch(/since task-status began listening/);
    expect(work.retrying).toBe([...all, ...ids.retrying].filter((id) => backendStatus(id) === 'RETRY').length);
    expect(work.retrying).toBe(1);
    expect(work.running).toBe(0);
    const scheduled = celeryInspect<unknown[]>(app, 'scheduled', ['w1@test'])['w1@test']!;
    expect(work.scheduled).toBe(scheduled.length);
    expect(work.scheduled).toBe(3);
    expect(work.reserved).toBe(celeryInspect<unknown[]>(app, 'reserved', ['w1@test'])['w1@test']!.length);
    expect(work.reserved! + work.scheduled!).toBe(ctlCounts().work!.unacked);

    const finished = Object.values(snap.tasks).filter((t) => t.state === 'SUCCESS' || t.state === 'FAILURE');
    const succeeded = finished.filter((t) => t.state === 'SUCCESS').length;
    expect(work.finishedCount).toBe(finished.length);
    expect(work.finishedCount).toBe(all.length);
    expect(work.successRatio).toBe(Math.round((succeeded / finished.length) * 10_000) / 10_000);
    const heardSince = events().heardSince!;
    expect(work.throughputPerMin).toBe(Math.round(((finished.length * 60_000) / (view.takenAt! - heardSince)) * 100) / 100);
    // Run latency is Celery's own runtime: the longest is the sleep.
    expect(work.runLatencyMs!.p95).toBe(Math.round(snap.tasks[ids.sleep![0]!]!.runtime! * 1000));
  }, 150_000);

  it('task detail by id from the events and the Redis result backend', async () => {
    const id = ids.prefetched![0]!;
    const { found, failures } = await session.findTask(id, {});
    expect(failures).toEqual([]);
    const meta = JSON.parse(redis.cli(['GET', `celery-task-meta-${id}`], 1)) as { result: unknown; status: string };
    expect(found).toEqual([expect.objectContaining({ id, framework: 'celery', state: 'succeeded', queue: 'work', name: 'tsapp.add', worker: 'w1@test', result: meta.result })]);
    expect(meta).toMatchObject({ status: 'SUCCESS', result: 3 });
    expect(found[0]!.sources).toEqual(['result backend', 'events']);
    const failed = (await session.findTask(ids.failing![0]!, {})).found[0]!;
    expect(failed).toMatchObject({ state: 'failed', error: { type: 'ValueError', message: 'boom' } });
    expect((await session.findTask('no-such-task', {})).found).toEqual([]);
  }, 30_000);

  it('a SIGKILLed worker turns offline within its heartbeat window; a cleanly stopped one is gone', async () => {
    const killed: CeleryWorker = await startCeleryWorker({ app, name: 'k@test', queues: ['kq'], events: true, concurrency: 1, heartbeatInterval: freqS });
    const stopped: CeleryWorker = await startCeleryWorker({ app, name: 's@test', queues: ['sq'], events: true, concurrency: 1, heartbeatInterval: freqS });
    await waitUntil(async () => {
      const view = await session.poll();
      // Until the management API shows a new worker's consumers, its queue is a plain one.
      return ['kq', 'sq'].every((q) => view.queues.find((f) => f.queue === q && f.framework === 'celery')?.workers.online === 1);
    }, 'both workers online on their queues');
    await killed.kill();
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    const lastSeen = events().workers.get('k@test')!.lastSeenAt!;
    await new Promise((r) => setTimeout(r, lastSeen + 2 * freqS * 1000 - Date.now() + 100));
    let view = await session.poll();
    expect(Date.now() - killedAt).toBeLessThan(2 * freqS * 1000 + 1500);
    const snap = await capture.snapshot();
    expect(snap.workers['k@test']!.alive).toBe(false);
    expect(view.workers.find((w) => w.name === 'k@test')).toMatchObject({ state: 'offline', busy: null, queues: ['kq'] });
    expect(queueOf(view, 'kq').workers).toEqual({ online: 0, busy: 0, offline: 1 });
    // The skew of the sender's clock is recorded, never used for liveness.
    expect(events().workers.get('k@test')!.skewMs).not.toBeNull();

    await stopped.stop();
    await waitUntil(() => events().workers.get('s@test')?.goneAt != null, 'worker-offline');
    view = await session.poll();
    expect(view.workers.map((w) => w.name)).not.toContain('s@test');
    expect(queueOf(view, 'sq').workers).toEqual({ online: 0, busy: 0, offline: 0 });
    expect((await capture.snapshot()).workers['s@test']!.alive).toBe(false);
  }, 60_000);

  it('through the app (createApp and the Api, as every face): the dashboard and a task by id', async () => {
    const app = createApp({
      config: { connections: [{ kind: 'rabbitmq', id: 'mq', url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl(), frameworks: { celery: { resultBackend: redis.url(1) } } }] },
      session: { discoveryIntervalMs: 300 }, actionLogPath: '/dev/null',
    });
    let view: ConnectionView | undefined;
    await waitUntil(async () => {
      await app.monitor.pollAll();
      view = (await app.api.getDashboard({})).connections[0];
      return !!view?.workers.some((w) => w.name === 'w1@test' && w.state === 'online') && !!view.queues.find((q) => q.queue === 'work' && q.framework === 'celery');
    }, 'the app to hear w1@test and claim its queue');
    const work = view!.queues.find((q) => q.queue === 'work' && q.framework === 'celery')!;
    expect(work.waiting).toBe(ctlCounts().work!.ready);
    expect(work.workers).toEqual({ online: 1, busy: 0, offline: 0 });
    expect(view!.queues.filter((q) => q.framework === 'rabbitmq').map((q) => q.queue)).toEqual([]);
    const id = ids.failing![1]!;
    const { task } = await app.api.getTask({ id });
    // Heard nothing of it (it finished before this app listened): the result backend alone.
    expect(task).toMatchObject({ id, framework: 'celery', connection: 'mq', state: 'failed', error: { type: 'ValueError', message: 'boom' }, sources: ['result backend'] });
    await app.close();
    // Closing the app removes its events queue.
    await waitUntil(() => rabbit.listQueues('/', []).filter((q) => String(q.name).startsWith('celeryev.task-status.')).length === 1, 'the app\'s events queue to go');
  }, 60_000);

  it('without the management API: the configured queues over AMQP, reserved and scheduled unknown, events still heard', async () => {
    const closed = await freePort();
    const amqpOnly = watch({ queues: ['work'] }, { apiUrl: `http://guest:guest@127.0.0.1:${closed}`, queues: ['work'] });
    let view: ConnectionView | undefined;
    await waitUntil(async () => {
      view = await amqpOnly.session.poll();
      return !!view.workers.find((w) => w.name === 'w1@test' && w.state === 'online');
    }, 'heartbeats heard without the management API');
    expect(view!.status).toBe('degraded');
    const work = queueOf(view!, 'work');
    expect(work.waiting).toBe(ctlCounts().work!.ready);
    expect(work).toMatchObject({ reserved: null, scheduled: null, running: 0, workers: { online: 1, busy: 0, offline: 0 } });
    expect(work.notes.reserved).toBe('AMQP alone (management API unreadable) cannot see unacknowledged messages');
    await amqpOnly.states.close();
  }, 60_000);

  it('events switched off: no queue of task-status\'s, figures from events null with the reason', async () => {
    const before = rabbit.listQueues('/', []).map((q) => q.name as string).filter((n) => n.startsWith('celeryev.task-status.'));
    const quiet = watch({ events: false });
    await quiet.session.poll();
    const view = await quiet.session.poll();
    const after = rabbit.listQueues('/', []).map((q) => q.name as string).filter((n) => n.startsWith('celeryev.task-status.'));
    expect(after).toEqual(before);
    expect(after).toHaveLength(1);
    const work = queueOf(view, 'work');
    expect(work.waiting).toBe(ctlCounts().work!.ready);
    expect(work).toMatchObject({ running: null, failed: null, retrying: null, reserved: null, scheduled: null, throughputPerMin: null, successRatio: null });
    expect(work.notes.running).toBe('listening to celery events is switched off in the config (frameworks.celery.events: false)');
    expect(view.workers).toEqual([]);
    expect(celeryRabbitProbe.events!.binding({ connectionId: 'x', vhost: '/', now: 0, config: { events: false }, source: 'management' }, null)).toBeNull();
  }, 30_000);
});
