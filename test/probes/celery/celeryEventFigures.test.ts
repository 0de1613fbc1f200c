import { describe, expect, it } from 'vitest';
import { eventFigures } from '../../../src-main/probes/celery/celeryEventFigures.js';
import { celeryEvents } from '../../../src-main/probes/celery/celeryEvents.js';
import { createEventState, type CeleryEventState } from '../../../src-main/probes/celery/celeryEventState.js';
import { channel, eventMessage, taskEvent, workerEvent } from './celeryEventMessages.js';
import { namespace } from './celeryHarness.js';

const t0 = 1_796_000_000;
const ms = t0 * 1000;
const ns = namespace(0);
const fold = (state: CeleryEventState, body: unknown, rk: string, at: number) => celeryEvents.fold(state, ns, channel(rk), eventMessage(body, rk), at);
const figures = (state: CeleryEventState | null, queues: string[], now: number, waiting: Record<string, number> = {}) =>
  eventFigures({ state, queues, waiting: new Map(Object.entries(waiting)), connection: 'c', now, rateWindowMs: 600_000 });

function heardWorker(freq = 2, fields: Record<string, unknown> = {}): CeleryEventState {
  const state = createEventState();
  celeryEvents.prune(state, ms);
  fold(state, workerEvent('worker-heartbeat', 'w1@test', t0, { freq, ...fields }), 'worker.heartbeat', ms);
  return state;
}

describe('celery figures from events', () => {
  it('online while now is before the last arrival + freq × 2 (Celery\'s rule), offline from then on', () => {
    const state = heardWorker(2);
    expect(figures(state, ['q'], ms + 3999).perQueue.get('q')!.workers).toEqual({ online: 1, busy: 0, offline: 0 });
    expect(figures(state, ['q'], ms + 4000).perQueue.get('q')!.workers).toEqual({ online: 0, busy: 0, offline: 1 });
    expect(figures(state, ['q'], ms + 4000).workers![0]).toMatchObject({ name: 'w1@test', state: 'offline', lastSeenAt: ms, queues: ['q'] });
  });

  it('an offline worker\'s busy is unknown (null), its current task the last one known', () => {
    const silent = heardWorker(2, { active: 1 });
    expect(figures(silent, ['q'], ms + 3999).workers![0]).toMatchObject({ state: 'online', busy: true, currentTask: null });
    expect(figures(silent, ['q'], ms + 4000).workers![0]).toMatchObject({ state: 'offline', busy: null, currentTask: null });
    const withEvents = heardWorker(2, { active: 1 });
    fold(withEvents, [taskEvent('task-received', 'a', t0 + 0.1), taskEvent('task-started', 'a', t0 + 0.2)], 'task.multi', ms + 300);
    expect(figures(withEvents, ['q'], ms + 2000).workers![0]).toMatchObject({ state: 'online', busy: true, currentTask: 'a' });
    const offline = figures(withEvents, ['q'], ms + 4300);
    expect(offline.workers![0]).toMatchObject({ state: 'offline', busy: null, currentTask: 'a' });
    expect(offline.perQueue.get('q')!.workers).toEqual({ online: 0, busy: 0, offline: 1 });
  });

  it('nothing heard: every worker and task figure is null, with the reason', () => {
    const q = figures(null, ['q'], ms).perQueue.get('q')!;
    expect(q).toMatchObject({ running: null, failed: null, retrying: null, workers: { online: null, busy: null, offline: null } });
    const listening = createEventState();
    celeryEvents.prune(listening, ms);
    const silent = figures(listening, ['q'], ms + 5000);
    expect(silent.workers).toBeNull();
    expect(silent.perQueue.get('q')!.notes.workers).toBe('no worker heartbeat heard in 5 s of listening');
    expect(silent.perQueue.get('q')!.failed).toBeNull();
  });

  it('several queues: tasks counted where task-sent named the queue, workers per queue unknown', () => {
    const state = heardWorker();
    fold(state, taskEvent('task-sent', 'a', t0, { queue: 'q1' }), 'task.sent', ms + 10);
    fold(state, taskEvent('task-sent', 'b', t0, { queue: 'q2' }), 'task.sent', ms + 10);
    fold(state, [taskEvent('task-received', 'a', t0 + 0.1), taskEvent('task-started', 'a', t0 + 0.2), taskEvent('task-received', 'b', t0 + 0.1), taskEvent('task-started', 'b', t0 + 0.3), taskEvent('task-failed', 'b', t0 + 0.4)], 'task.multi', ms + 500);
    const f = figures(state, ['q1', 'q2'], ms + 1000);
    expect(f.perQueue.get('q1')).toMatchObject({ running: 1, failed: 0, retrying: 0, workers: { online: null, busy: null, offline: null } });
    expect(f.perQueue.get('q2')).toMatchObject({ running: 0, failed: 1 });
    expect(f.perQueue.get('q2')!.finished!.tasks).toEqual([{ enqueuedAt: ms, startedAt: ms + 300, finishedAt: ms + 400, succeeded: false }]);
    // A task started without its task-sent: its queue is unknown, so no queue's count is sure.
    fold(state, [taskEvent('task-received', 'c', t0 + 0.5), taskEvent('task-started', 'c', t0 + 0.6)], 'task.multi', ms + 700);
    const g = figures(state, ['q1', 'q2'], ms + 1000);
    expect(g.perQueue.get('q1')!.running).toBeNull();
    // Its task-sent may predate listening as well as be missing: the note names both causes.
    expect(g.perQueue.get('q1')!.notes.running).toBe('1 running tasks heard without their queue: their task-sent event was not heard '
      + '(sent before task-status began listening, or the producer does not set task_send_sent_event)');
    // With a single queue every task is in it.
    expect(figures(state, ['q1'], ms + 1000).perQueue.get('q1')!.running).toBe(2);
  });

  it('a worker without -E that ran tasks makes task figures null; its heartbeat still gives running', () => {
    const state = heardWorker(2, { processed: 10 });
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0 + 2, { processed: 12, active: 1 }), 'worker.heartbeat', ms + 2000);
    const q = figures(state, ['q'], ms + 2100).perQueue.get('q')!;
    expect(q).toMatchObject({ running: 1, failed: null, retrying: null, workers: { online: 1, busy: 1, offline: 0 } });
    expect(q.finished).toBeUndefined();
    expect(q.notes.throughputPerMin).toMatch(/w1@test runs tasks without sending task events/);
    // Several queues: those running tasks cannot be placed.
    expect(figures(state, ['q', 'r'], ms + 2100).perQueue.get('q')!.running).toBeNull();
  });

  it('running tasks no start explains are judged at the heartbeat\'s moment, by the worker\'s clock', () => {
    const state = heardWorker(2, { active: 0 });
    fold(state, taskEvent('task-sent', 'c', t0 + 0.4, { queue: 'q1' }), 'task.sent', ms + 400);
    fold(state, [taskEvent('task-received', 'c', t0 + 0.45), taskEvent('task-started', 'c', t0 + 0.5)], 'task.multi', ms + 500);
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0 + 1, { active: 1 }), 'worker.heartbeat', ms + 1000);
    // `c` ends after the heartbeat that counted it: the heartbeat's 1 is `c`, nothing unheard.
    fold(state, [taskEvent('task-succeeded', 'c', t0 + 1.2, { runtime: 0.7 })], 'task.multi', ms + 1300);
    const f = figures(state, ['q1', 'q2'], ms + 1500);
    expect([f.perQueue.get('q1')!.running, f.perQueue.get('q2')!.running]).toEqual([0, 0]);
    expect(f.workers![0]).toMatchObject({ busy: false, currentTask: null });
    // A heartbeat counting one more than the starts heard: a task from before listening.
    fold(state, workerEvent('worker-heartbeat', 'w1@test', t0 + 3, { active: 1 }), 'worker.heartbeat', ms + 3000);
    const g = figures(state, ['q1', 'q2'], ms + 3100);
    expect(g.perQueue.get('q1')).toMatchObject({ running: null, notes: { running: '1 tasks running on w1@test started before task-status began listening, '
      + 'or run without task events (-E): heartbeats count them but do not name their queue' } });
    expect(g.workers![0]).toMatchObject({ busy: true, currentTask: null });
    expect(figures(state, ['q1'], ms + 3100).perQueue.get('q1')!.running).toBe(1);
  });

  it('failed and retrying say they count what was heard since listening began (or the rate window)', () => {
    const state = heardWorker();
    const q = (now: number, held?: Map<string, Set<string>> | null) =>
      eventFigures({ state, queues: ['q'], waiting: new Map(), connection: 'c', now, rateWindowMs: 600_000, heldRetried: held }).perQueue.get('q')!;
    expect(q(ms + 42_000)).toMatchObject({ failed: 0, retrying: 0 });
    expect(q(ms + 42_000).notes).toMatchObject({
      failed: 'tasks heard failing for good since task-status began listening 42 s ago; earlier failures are not known (as in Flower)',
      retrying: 'retried tasks whose next attempt has not started: those heard retrying since task-status began listening 42 s ago; '
        + 'unacked was not read this time, so retries from before then are not counted',
    });
    expect(q(ms + 900_000).notes.failed).toBe('tasks heard failing for good in the last 600 s (the rate window; task-status began listening 900 s ago)');
    // A retry heard, and one held in unacked from before listening: each counted once.
    fold(state, [taskEvent('task-received', 'r', t0 + 1), taskEvent('task-started', 'r', t0 + 1.1), taskEvent('task-retried', 'r', t0 + 1.2)], 'task.multi', ms + 1300);
    const held = new Map([['q', new Set(['r', 'old'])]]);
    expect(q(ms + 2000, held).retrying).toBe(2);
    expect(q(ms + 2000, held).notes.retrying).toBe('retried tasks whose next attempt has not started: those heard retrying since task-status began listening 2 s ago, '
      + 'and those a worker holds in unacked (headers.retries > 0); one waiting in its queue list since before then is not counted');
  });

  it('a retry heard without its queue is placed by the worker holding its next attempt', () => {
    const state = heardWorker();
    fold(state, [taskEvent('task-received', 'r', t0 + 1), taskEvent('task-started', 'r', t0 + 1.1), taskEvent('task-retried', 'r', t0 + 1.2)], 'task.multi', ms + 1300);
    const at = (held: Map<string, Set<string>> | null) => eventFigures({ state, queues: ['q1', 'q2'], waiting: new Map(), connection: 'c', now: ms + 2000, rateWindowMs: 600_000, heldRetried: held }).perQueue;
    expect(at(null).get('q1')!.retrying).toBeNull();
    const placed = at(new Map([['q1', new Set<string>()], ['q2', new Set(['r'])]]));
    expect([placed.get('q1')!.retrying, placed.get('q2')!.retrying]).toEqual([0, 1]);
  });

  it('oldest waiting: from task-sent only when every waiting task was heard being sent', () => {
    const state = heardWorker();
    fold(state, taskEvent('task-sent', 'a', t0 + 1, { queue: 'q' }), 'task.sent', ms + 1000);
    fold(state, taskEvent('task-sent', 'b', t0 + 2, { queue: 'q', eta: new Date(ms + 5000).toISOString() }), 'task.sent', ms + 2000);
    expect(figures(state, ['q'], ms + 3000, { q: 2 }).perQueue.get('q')!.oldestWaitingAt).toBe(ms + 1000);
    expect(figures(state, ['q'], ms + 3000, { q: 3 }).perQueue.get('q')!.oldestWaitingAt).toBeUndefined();
    expect(figures(state, ['q'], ms + 3000, { q: 0 }).perQueue.get('q')!.oldestWaitingAt).toBeNull();
  });

  it('wait latency from the ready time (sent, or a later ETA); run latency is Celery\'s runtime', () => {
    const state = heardWorker();
    const eta = new Date(ms + 2000).toISOString();
    fold(state, taskEvent('task-sent', 'a', t0, { queue: 'q', eta }), 'task.sent', ms);
    fold(state, [taskEvent('task-received', 'a', t0 + 0.1, { eta }), taskEvent('task-started', 'a', t0 + 2.5), taskEvent('task-succeeded', 'a', t0 + 3.75, { runtime: 1.2 })], 'task.multi', ms + 4000);
    expect(figures(state, ['q'], ms + 5000).perQueue.get('q')!.finished!.tasks).toEqual([
      { enqueuedAt: ms + 2000, startedAt: ms + 2500, finishedAt: ms + 3700, succeeded: true },
    ]);
  });

  it('retrying: retried and not started again; a task seen only in task-received has no wait latency', () => {
    const state = heardWorker();
    fold(state, [taskEvent('task-received', 'r', t0), taskEvent('task-started', 'r', t0 + 0.1), taskEvent('task-retried', 'r', t0 + 0.2), taskEvent('task-received', 'r', t0 + 0.3, { retries: 1 })], 'task.multi', ms + 500);
    fold(state, [taskEvent('task-received', 's', t0), taskEvent('task-started', 's', t0 + 0.1), taskEvent('task-succeeded', 's', t0 + 0.2, { runtime: 0.1 })], 'task.multi', ms + 500);
    const q = figures(state, ['q'], ms + 1000).perQueue.get('q')!;
    expect(q).toMatchObject({ retrying: 1, failed: 0, running: 0 });
    expect(q.finished!.tasks).toEqual([{ enqueuedAt: null, startedAt: ms + 100, finishedAt: ms + 200, succeeded: true }]);
  });
});
