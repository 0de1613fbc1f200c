import { describe, expect, it } from 'vitest';
import { celeryEvents } from '../../../src-main/probes/celery/celeryEvents.js';
import { createEventState, type CeleryEventState } from '../../../src-main/probes/celery/celeryEventState.js';
import { channel, eventMessage, taskEvent, workerEvent } from './celeryEventMessages.js';
import { namespace } from './celeryHarness.js';

const ns = namespace(0);
const t0 = 1_796_000_000; // epoch seconds, senders' clock
const fold = (state: CeleryEventState, body: unknown, rk: string, at: number, ch = channel(rk)) =>
  celeryEvents.fold(state, ns, ch, eventMessage(body, rk), at);

describe('celery event fold', () => {
  it('subscribes to the database-scoped channels and the unscoped fanout_prefix=False ones, prefix in front', () => {
    expect(celeryEvents.patterns(namespace(3, 'qlab:'))).toEqual(['qlab:/3.celeryev/*', 'qlab:/3.celeryev', 'qlab:celeryev/*', 'qlab:celeryev']);
    expect(celeryEvents.patterns(namespace(0, 'a*b:'))[0]).toBe('a\\*b:/0.celeryev/*');
  });

  it('ignores channels of another database or prefix', () => {
    const state = createEventState();
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0), 'worker.heartbeat', 1000, channel('worker.heartbeat', 1));
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0), 'worker.heartbeat', 1000, channel('worker.heartbeat', 10));
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0), 'worker.heartbeat', 1000, channel('worker.heartbeat', 0, 'qlab:'));
    expect(state.messageCount).toBe(0);
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0), 'worker.heartbeat', 1000, 'celeryev/worker.heartbeat');
    expect(state.workers.size).toBe(1);
  });

  it('reads every event of a task.multi batch', () => {
    const state = createEventState();
    const batch = ['a', 'b', 'c'].flatMap((id, i) => [taskEvent('task-received', id, t0 + i), taskEvent('task-started', id, t0 + i + 0.5)]);
    fold(state, batch, 'task.multi', 5000);
    expect([...state.tasks.values()].map((t) => [t.id, t.phase])).toEqual([['a', 'started'], ['b', 'started'], ['c', 'started']]);
    expect(state.taskEventCount).toBe(6);
    expect(state.workers.get('w1@test')!.sendsTaskEvents).toBe(true);
  });

  it('a retry heard out of order (new attempt sent and received before task-retried) stays waiting for its retry', () => {
    const state = createEventState();
    fold(state, taskEvent('task-sent', 'r', t0), 'task.sent', 1);
    fold(state, [taskEvent('task-received', 'r', t0 + 0.1), taskEvent('task-started', 'r', t0 + 0.2)], 'task.multi', 2);
    fold(state, taskEvent('task-sent', 'r', t0 + 0.3, { retries: 1, eta: '2026-12-03T19:30:00+00:00' }), 'task.sent', 3);
    fold(state, [taskEvent('task-received', 'r', t0 + 0.4, { retries: 1 }), taskEvent('task-retried', 'r', t0 + 0.5, { exception: "RuntimeError('x')" })], 'task.multi', 4);
    expect(state.tasks.get('r')).toMatchObject({ phase: 'received', attempt: 1, startedAttempt: 0, retriedCount: 1, exception: "RuntimeError('x')", sentAt: Math.round((t0 + 0.3) * 1000) });
    fold(state, [taskEvent('task-started', 'r', t0 + 1), taskEvent('task-succeeded', 'r', t0 + 1.5, { runtime: 0.25, result: '3' })], 'task.multi', 5);
    expect(state.tasks.get('r')).toMatchObject({ phase: 'succeeded', startedAttempt: 1, runtimeMs: 250, result: '3' });
  });

  it('a retry heard in order is retried until its next attempt', () => {
    const state = createEventState();
    fold(state, [taskEvent('task-received', 'r', t0), taskEvent('task-started', 'r', t0 + 0.1), taskEvent('task-retried', 'r', t0 + 0.2)], 'task.multi', 1);
    expect(state.tasks.get('r')!.phase).toBe('retried');
    fold(state, taskEvent('task-received', 'r', t0 + 1, { retries: 1 }), 'task.multi', 2);
    expect(state.tasks.get('r')).toMatchObject({ phase: 'received', attempt: 1 });
  });

  it('a late task-sent does not move a task back', () => {
    const state = createEventState();
    fold(state, [taskEvent('task-received', 'x', t0 + 0.1), taskEvent('task-started', 'x', t0 + 0.2)], 'task.multi', 1);
    fold(state, taskEvent('task-sent', 'x', t0, { queue: 'q1' }), 'task.sent', 2);
    expect(state.tasks.get('x')).toMatchObject({ phase: 'started', queue: 'q1', sentAt: t0 * 1000 });
  });

  it('worker heartbeats: arrival time, freq, counters, skew; offline marks it gone; a new pid restarts counters', () => {
    const state = createEventState();
    fold(state, workerEvent('worker-online', 'w1@test', t0, { freq: 1.0, processed: 5 }), 'worker.online', t0 * 1000 + 30);
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0 + 1, { freq: 1.0, active: 2, processed: 7 }), 'worker.heartbeat', t0 * 1000 + 1000 + 45);
    expect(state.workers.get('w1@test')).toMatchObject({ freqMs: 1000, active: 2, processed: 7, firstProcessed: 5, lastSeenAt: t0 * 1000 + 1045, skewMs: 45, goneAt: null });
    fold(state, workerEvent('worker-offline', 'w1@test', t0 + 2), 'worker.offline', t0 * 1000 + 2000);
    expect(state.workers.get('w1@test')!.goneAt).toBe(t0 * 1000 + 2000);
    fold(state, workerEvent('worker-online', 'w1@test', t0 + 3, { pid: 4343, processed: 0 }), 'worker.online', t0 * 1000 + 3000);
    expect(state.workers.get('w1@test')).toMatchObject({ goneAt: null, pid: 4343, firstProcessed: 0 });
  });

  it('counts what does not decode, and never throws', () => {
    const state = createEventState();
    celeryEvents.fold(state, ns, channel('task.multi'), Buffer.from('not json'), 1);
    celeryEvents.fold(state, ns, channel('task.multi'), Buffer.from(JSON.stringify({ body: 'gAR9lC4=', 'content-type': 'application/x-python-serialize', properties: { body_encoding: 'base64' } })), 2);
    fold(state, [42, { type: 7 }, taskEvent('task-started', 'ok', t0)], 'task.multi', 3);
    expect(state).toMatchObject({ messageCount: 3, undecodableCount: 4, taskEventCount: 1 });
  });

  it('prune drops finished tasks after the retention and the oldest beyond the count, and remembers where the sample starts', () => {
    const state = createEventState({ maxTasks: 10, retentionMs: 60_000, staleMs: 3_600_000, offlineRetentionMs: 3_600_000 });
    for (let i = 0; i < 12; i++) {
      fold(state, [taskEvent('task-started', `t${i}`, t0 + i), taskEvent('task-succeeded', `t${i}`, t0 + i + 0.5, { runtime: 0.5 })], 'task.multi', 1000 * i);
    }
    fold(state, taskEvent('task-started', 'long', t0 + 20), 'task.multi', 20_000);
    celeryEvents.prune(state, 20_000);
    expect(state.tasks.size).toBe(9);
    expect(state.tasks.has('t3')).toBe(false);
    expect(state.tasks.has('t4')).toBe(true);
    expect(state.droppedFinishedUntil).toBe((t0 + 3.5) * 1000);
    celeryEvents.prune(state, 80_000);
    expect([...state.tasks.keys()]).toEqual(['long']);
  });
});
