import { describe, expect, it } from 'vitest';
import type { AmqpEventMessage, RabbitTopology } from '../../../src-main/io/rabbitmq/celeryEventsTypes.js';
import type { RabbitQueueStats } from '../../../src-main/io/rabbitmq/rabbitTypes.js';
import { createEventState, type CeleryEventState } from '../../../src-main/probes/celery/celeryEventState.js';
import { celeryRabbitProbe, type CeleryRabbitDiscovery } from '../../../src-main/probes/celery/rabbitmq/celeryRabbitProbe.js';
import type { RabbitProbeContext, RabbitProbeState } from '../../../src-main/probes/rabbitProbe.js';
import { rabbitQueueProbe } from '../../../src-main/probes/rabbitmq/rabbitQueueProbe.js';
import { taskEvent, workerEvent } from './celeryEventMessages.js';

const t0 = 1_796_000_000;
const ms = t0 * 1000;
const ctx = (now = ms, config: RabbitProbeContext['config'] = {}): RabbitProbeContext => ({ connectionId: 'r', vhost: '/', now, config, source: 'management', rateWindowMs: 600_000 });
const events = celeryRabbitProbe.events!;

/** An event as Celery 5.2.6 publishes it on RabbitMQ (live): the JSON body itself, no envelope. */
function amqpMessage(body: unknown, routingKey: string, encoding: 'utf-8' | 'base64' = 'utf-8'): AmqpEventMessage {
  const json = Buffer.from(JSON.stringify(body));
  return { routingKey, content: encoding === 'base64' ? Buffer.from(json.toString('base64')) : json, contentType: 'application/json', contentEncoding: encoding };
}

const topology: RabbitTopology = {
  exchanges: [{ name: 'celery', type: 'direct' }, { name: 'celeryev', type: 'topic' }, { name: 'celery.pidbox', type: 'fanout' }, { name: 'emails', type: 'direct' },
    { name: 'shop', type: 'topic' }, { name: 'reports', type: 'direct' }],
  bindings: [{ source: 'celery', queue: 'celery', routingKey: 'celery' }, { source: 'emails', queue: 'emails', routingKey: 'emails' },
    { source: 'shop', queue: 'orders', routingKey: 'orders.#' }, { source: 'reports', queue: 'reports', routingKey: 'reports' }],
  consumers: [
    { queue: 'w1@t.celery.pidbox', connection: 'c1' }, { queue: 'celery', connection: 'c1' }, { queue: 'emails', connection: 'c1' },
    { queue: 'w2@t.celery.pidbox', connection: 'c2' }, { queue: 'emails', connection: 'c2' },
    { queue: 'orders', connection: 'other-app' },
  ],
};

const queue = (name: string, ready: number, unacked: number, consumers = 1): RabbitQueueStats => ({ name, vhost: '/', messagesReady: ready, messagesUnacknowledged: unacked, consumers, source: 'management' });

function discovered(events: CeleryEventState | null = null, config: RabbitProbeContext['config'] = {}): CeleryRabbitDiscovery {
  return celeryRabbitProbe.discover!(ctx(ms, config), topology, null, events);
}

describe('Celery on RabbitMQ: discovery and claims', () => {
  it('task queues: consumed by a worker (pidbox on the same connection), bound to the celery exchange, or to a direct exchange of their name; workers\' queues from their consumers', () => {
    const d = discovered();
    expect(d.isCelery).toBe(true);
    // `reports` has no worker now: kombu's own exchange of its name tells it.
    expect([...d.queues.keys()].sort()).toEqual(['celery', 'emails', 'reports']);
    expect(Object.fromEntries(d.workerQueues)).toEqual({ 'w1@t': ['celery', 'emails'], 'w2@t': ['emails'] });
    const state = { discovery: d, events: null, eventsWhy: 'x' };
    expect(celeryRabbitProbe.claims(queue('emails', 0, 0), ctx(), state)).toBe(true);
    expect(celeryRabbitProbe.claims(queue('w1@t.celery.pidbox', 0, 0), ctx(), state)).toBe(true);
    expect(celeryRabbitProbe.claims(queue('celeryev.task-status.ab12', 0, 0), ctx(), state)).toBe(true);
    // Another application's queue, consumed by a connection without a pidbox queue, bound to its topic exchange.
    expect(celeryRabbitProbe.claims(queue('orders', 0, 0), ctx(), state)).toBe(false);
    expect(rabbitQueueProbe.claims(queue('orders', 0, 0), ctx())).toBe(true);
  });

  it('no Celery exchanges and nothing configured: claims nothing; configured queues are claimed', () => {
    const none = celeryRabbitProbe.discover!(ctx(), { exchanges: [{ name: 'orders', type: 'direct' }], bindings: [], consumers: [] }, null, null);
    expect(none.isCelery).toBe(false);
    expect(celeryRabbitProbe.claims(queue('orders', 0, 0), ctx(), { discovery: none, events: null, eventsWhy: null })).toBe(false);
    expect(events.binding(ctx(), none)).toBeNull();
    const configured = celeryRabbitProbe.discover!(ctx(ms, { queues: ['orders'] }), null, null, null);
    expect(configured.isCelery).toBe(true);
    expect(celeryRabbitProbe.claims(queue('orders', 0, 0), ctx(), { discovery: configured, events: null, eventsWhy: null })).toBe(true);
  });

  it('a queue stays Celery\'s when its workers stop; a killed worker keeps its queues while its events are kept', () => {
    const state = createEventState();
    events.fold(state, amqpMessage(workerEvent('worker-heartbeat', 'w2@t', t0), 'worker.heartbeat'), ms);
    const first = discovered(state);
    const later = celeryRabbitProbe.discover!(ctx(), { ...topology, consumers: [] }, first, state);
    expect([...later.queues.keys()].sort()).toEqual(['celery', 'emails', 'reports']);
    expect(Object.fromEntries(later.workerQueues)).toEqual({ 'w2@t': ['emails'] });
  });

  it('binds worker.# and task.# on celeryev, unless switched off', () => {
    expect(events.binding(ctx(), discovered())).toEqual({ exchange: 'celeryev', routingKeys: ['worker.#', 'task.#'] });
    expect(events.binding(ctx(ms, { events: false }), discovered())).toBeNull();
  });
});

describe('Celery on RabbitMQ: events and figures', () => {
  function listening(): CeleryEventState {
    const state = events.initial();
    events.prune(state, ms);
    events.fold(state, amqpMessage(workerEvent('worker-heartbeat', 'w1@t', t0, { active: 0 }), 'worker.heartbeat'), ms);
    events.fold(state, amqpMessage(workerEvent('worker-heartbeat', 'w2@t', t0, { active: 0 }), 'worker.heartbeat', 'base64'), ms);
    return state;
  }

  it('folds utf-8 and base64 bodies, task.multi arrays, and counts what does not decode', () => {
    const state = listening();
    events.fold(state, amqpMessage([taskEvent('task-received', 'a', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'a', t0 + 0.2, {}, 'w2@t')], 'task.multi'), ms + 300);
    expect(state.workers.size).toBe(2);
    expect(state.tasks.get('a')).toMatchObject({ phase: 'started', worker: 'w2@t' });
    events.fold(state, { routingKey: 'task.multi', content: Buffer.from('\x80\x04'), contentType: 'application/x-python-serialize', contentEncoding: 'binary' }, ms + 400);
    events.fold(state, { routingKey: 'task.multi', content: Buffer.from('{nope'), contentType: 'application/json', contentEncoding: 'utf-8' }, ms + 400);
    expect(state.undecodableCount).toBe(2);
    expect(state.messageCount).toBe(5);
  });

  it('waiting = ready; scheduled = ETA tasks held; reserved = the rest of unacked; running placed by the worker\'s only queue', () => {
    const state = listening();
    const eta = new Date(ms + 60_000).toISOString();
    events.fold(state, amqpMessage([
      taskEvent('task-received', 'run', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'run', t0 + 0.2, {}, 'w2@t'),
      taskEvent('task-received', 'pre', t0 + 0.3, {}, 'w2@t'),
      taskEvent('task-received', 'later', t0 + 0.3, { eta }, 'w2@t'),
      taskEvent('task-received', 'ok', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'ok', t0 + 0.2, {}, 'w2@t'), taskEvent('task-succeeded', 'ok', t0 + 0.5, { runtime: 0.3, result: '3' }, 'w2@t'),
      taskEvent('task-received', 'bad', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'bad', t0 + 0.2, {}, 'w2@t'), taskEvent('task-failed', 'bad', t0 + 0.6, { exception: "ValueError('x')" }, 'w2@t'),
    ], 'task.multi'), ms + 700);
    const d = discovered(state);
    const state2: RabbitProbeState<CeleryRabbitDiscovery, CeleryEventState> = { discovery: d, events: state, eventsWhy: null };
    const infra = queue('w1@t.celery.pidbox', 0, 0);
    const reading = celeryRabbitProbe.read(ctx(ms + 1000), [queue('celery', 0, 0), queue('emails', 5, 2), infra], state2);
    expect(reading.queues.map((q) => q.queue)).toEqual(['celery', 'emails']);
    const emails = reading.queues[1]!;
    expect(emails).toMatchObject({ waiting: 5, scheduled: 1, reserved: 1, running: 1, failed: 1, retrying: 0, dead: null });
    expect(emails.workers).toEqual({ online: 2, busy: 1, offline: 0 });
    expect(emails.finished?.tasks).toHaveLength(2);
    expect(emails.throughputPerMin).toBe(120); // 2 finished in the 1 s heard
    expect(reading.queues[0]).toMatchObject({ waiting: 0, scheduled: 0, reserved: 0, running: 0, failed: 0, workers: { online: 1, busy: 0, offline: 0 } });
    expect(reading.workers!.map((w) => [w.name, w.queues])).toEqual([['w1@t', ['celery', 'emails']], ['w2@t', ['emails']]]);
  });

  it('under task_acks_late the running task is still unacknowledged: seen when the counts add up', () => {
    const state = listening();
    events.fold(state, amqpMessage([
      taskEvent('task-received', 'run', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'run', t0 + 0.2, {}, 'w2@t'),
      taskEvent('task-received', 'pre', t0 + 0.3, {}, 'w2@t'),
    ], 'task.multi'), ms + 700);
    const s = { discovery: discovered(state), events: state, eventsWhy: null };
    const emails = celeryRabbitProbe.read(ctx(ms + 1000), [queue('emails', 0, 2)], s).queues[0]!;
    expect(emails).toMatchObject({ reserved: 1, running: 1, scheduled: 0 });
    expect(emails.notes.reserved).toMatch(/task_acks_late/);
  });

  it('events switched off or not heard: figures from events are null with the reason; waiting still read', () => {
    const why = 'listening to celery events is switched off in the config (frameworks.celery.events: false)';
    const q = celeryRabbitProbe.read(ctx(), [queue('emails', 3, 2)], { discovery: discovered(), events: createEventState(), eventsWhy: why }).queues[0]!;
    expect(q).toMatchObject({ waiting: 3, scheduled: null, reserved: null, running: null, failed: null, retrying: null, workers: { online: null, busy: null, offline: null } });
    expect(q.notes.running).toBe(why);
    expect(q.notes.throughputPerMin).toBe(why);
    expect(q.notes.reserved).toMatch(/^2 messages are delivered to workers/);
    const idle = celeryRabbitProbe.read(ctx(), [queue('emails', 0, 0)], { discovery: discovered(), events: null, eventsWhy: why }).queues[0]!;
    expect(idle).toMatchObject({ scheduled: 0, reserved: 0, oldestWaitingAt: null });
  });

  it('a worker killed without worker-offline turns offline after two heartbeat intervals of silence; a clean shutdown is gone', () => {
    const state = listening();
    const s = { discovery: discovered(state), events: state, eventsWhy: null };
    events.fold(state, amqpMessage(workerEvent('worker-offline', 'w1@t', t0 + 1), 'worker.offline'), ms + 1000);
    const at = (now: number) => celeryRabbitProbe.read(ctx(now), [queue('emails', 0, 0)], s).queues[0]!.workers;
    expect(at(ms + 3999)).toEqual({ online: 1, busy: 0, offline: 0 });
    expect(at(ms + 4000)).toEqual({ online: 0, busy: 0, offline: 1 });
  });

  it('a retry\'s task-sent heard before the batch that started and retried the first attempt (live order on RabbitMQ)', () => {
    const state = listening();
    const eta = new Date(ms + 120_000).toISOString();
    events.fold(state, amqpMessage(taskEvent('task-sent', 'f', t0 + 0.002, { retries: 1, eta, queue: 'emails', hostname: 'w2@t' }), 'task.sent'), ms + 20);
    // Live: the start and the retry's task-sent in the same millisecond.
    events.fold(state, amqpMessage([
      taskEvent('task-received', 'f', t0 + 0.001, {}, 'w2@t'), taskEvent('task-started', 'f', t0 + 0.002, {}, 'w2@t'),
      taskEvent('task-received', 'f', t0 + 0.011, { retries: 1, eta }, 'w2@t'),
      taskEvent('task-retried', 'f', t0 + 0.012, { exception: "RuntimeError('attempt 0')" }, 'w2@t'),
    ], 'task.multi'), ms + 30);
    expect(state.tasks.get('f')).toMatchObject({ phase: 'received', attempt: 1, startedAttempt: 0, retriedCount: 1 });
    const q = celeryRabbitProbe.read(ctx(ms + 1000), [queue('emails', 0, 1)], { discovery: discovered(state), events: state, eventsWhy: null }).queues[0]!;
    expect(q).toMatchObject({ scheduled: 1, reserved: 0, running: 0, retrying: 1 });
  });

  it('the first attempt\'s task-started stamped after the retry\'s task-sent and task-received (live, prefork): the eta tells', () => {
    const state = listening();
    const eta = new Date(ms + 120_000).toISOString();
    events.fold(state, amqpMessage(taskEvent('task-sent', 'g', t0 + 0.272, { retries: 1, eta, queue: 'emails', hostname: 'w2@t' }), 'task.sent'), ms + 300);
    events.fold(state, amqpMessage([
      taskEvent('task-received', 'g', t0 + 0.270, {}, 'w2@t'),
      taskEvent('task-received', 'g', t0 + 0.274, { retries: 1, eta }, 'w2@t'),
      taskEvent('task-started', 'g', t0 + 0.274, {}, 'w2@t'),
      taskEvent('task-retried', 'g', t0 + 0.276, { exception: "RuntimeError('attempt 0')" }, 'w2@t'),
    ], 'task.multi'), ms + 330);
    expect(state.tasks.get('g')).toMatchObject({ phase: 'received', attempt: 1, startedAttempt: 0, retriedCount: 1 });
    // The retry's own start, after its eta, is the current attempt's.
    events.fold(state, amqpMessage([taskEvent('task-started', 'g', t0 + 120.5, {}, 'w2@t')], 'task.multi'), ms + 120_600);
    expect(state.tasks.get('g')).toMatchObject({ phase: 'started', startedAttempt: 1 });
  });

  it('a worker whose clock is an hour ahead: its skew is reported, its liveness judged on arrival times alone', () => {
    const state = events.initial();
    events.prune(state, ms);
    events.fold(state, amqpMessage(workerEvent('worker-heartbeat', 'w2@t', t0 + 3600, { freq: 2 }), 'worker.heartbeat'), ms + 5);
    const s = { discovery: discovered(state), events: state, eventsWhy: null };
    const at = (now: number) => celeryRabbitProbe.read(ctx(now), [queue('emails', 0, 0)], s);
    expect(at(ms + 3999).workers).toEqual([expect.objectContaining({ name: 'w2@t', state: 'online', clockSkewMs: -3_600_000 + 5 })]);
    expect(at(ms + 4005).workers![0]!.state).toBe('offline');
  });

  it('task detail from the events, the queue from the worker\'s only queue', async () => {
    const state = listening();
    events.fold(state, amqpMessage([taskEvent('task-received', 'a', t0 + 0.1, {}, 'w2@t'), taskEvent('task-started', 'a', t0 + 0.2, {}, 'w2@t'), taskEvent('task-succeeded', 'a', t0 + 0.5, { runtime: 0.3, result: '3' }, 'w2@t')], 'task.multi'), ms + 700);
    const task = await celeryRabbitProbe.getTask!(ctx(ms + 1000), 'a', { discovery: discovered(state), events: state, eventsWhy: null });
    expect(task).toMatchObject({ id: 'a', state: 'succeeded', queue: 'emails', worker: 'w2@t', result: '3', name: 'tsapp.add', sources: ['events'] });
    expect(await celeryRabbitProbe.getTask!(ctx(), 'zzz', { discovery: null, events: state, eventsWhy: null })).toBeNull();
  });
});
