import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionView, DashboardView } from '../../src-main/contract/dashboard.js';
import type { HistoryStore, PollRecord } from '../../src-main/core/history/historyStore.js';
import { SqliteHistoryStore } from '../../src-main/io/history/sqliteHistoryStore.js';
import { HistoryRecorder } from '../../src-main/monitor/historyRecorder.js';
import { queue, t0, tempDir, worker } from '../io/history/historyFixtures.js';

/** What the recorder needs of MonitorService: the dashboard event, emitted by hand. */
function fakeMonitor() {
  const listeners = new Set<(view: DashboardView) => void>();
  return {
    pollIntervalMs: 5000,
    onDidChangeDashboard(listener: (view: DashboardView) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(...connections: ConnectionView[]) {
      for (const l of listeners) l({ connections, generatedAt: 0 });
    },
    get listenerCount() { return listeners.size; },
  };
}

/** A connection's view after a good poll at `at` (a new object, as sessions make one per poll). */
function goodView(id: string, at: number, waiting: number): ConnectionView {
  return {
    id, url: `redis://h/${id}`, status: 'ok', statusReason: null, frameworks: ['rq'],
    queues: [queue('default', at, { connection: id, waiting })], workers: [worker('w1', { connection: id })],
    takenAt: at, lastGoodPollAt: at, pollDurationMs: 4, commandsPerPoll: 3, roundTripsPerPoll: 1,
  };
}

/** The view after a poll that could not read the broker: the last figures are still in it. */
function downView(previous: ConnectionView): ConnectionView {
  return { ...previous, status: 'unreachable', statusReason: { code: 'TARGET_UNREACHABLE', detail: 'ECONNREFUSED' }, pollDurationMs: 1000 };
}

let temp: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;
let now = t0;
const clock = { now: () => now, sleep: async () => {} };
beforeEach(() => {
  temp = tempDir();
  store = new SqliteHistoryStore({ path: temp.file('h.db') });
  now = t0;
});
afterEach(() => {
  store.close();
  temp.remove();
});

function setup(over: { store?: HistoryStore | null; maxPending?: number } = {}) {
  const monitor = fakeMonitor();
  const deferred: (() => void)[] = [];
  const logs: string[] = [];
  const recorder = new HistoryRecorder({
    monitor, clock, log: (l) => logs.push(l), store: over.store === undefined ? store : over.store,
    defer: (work) => deferred.push(work), maxPending: over.maxPending,
  });
  recorder.start();
  const runDeferred = () => { for (const w of deferred.splice(0)) w(); };
  return { monitor, recorder, logs, runDeferred, deferred };
}

const waitingOf = (recorder: HistoryRecorder, connection = 'a', toAt = t0 + 60_000) =>
  recorder.query({ connection, queue: 'default', figures: ['waiting'], fromAt: t0, toAt }).series[0]?.points.map((p) => [p.at - t0, p.value]);

describe('HistoryRecorder', () => {
  it('writes after the poll loop moved on, once per poll, though the dashboard repeats every connection', () => {
    const { monitor, recorder, runDeferred, deferred } = setup();
    const a1 = goodView('a', t0, 5);
    const b1 = goodView('b', t0 + 100, 7);
    monitor.emit(a1, b1);
    expect(store.info().oldestAt.raw).toBeNull(); // nothing written inside the listener
    expect(deferred.length).toBe(1);
    now = t0 + 5000;
    const a2 = goodView('a', t0 + 5000, 6);
    monitor.emit(a2, b1); // a polled again; b's view is the one already recorded
    monitor.emit(a2, b1);
    expect(deferred.length).toBe(1); // one flush for both
    runDeferred();
    expect(waitingOf(recorder, 'a')).toEqual([[0, 5], [5000, 6]]);
    expect(waitingOf(recorder, 'b')).toEqual([[100, 7]]);
  });

  it('a poll that could not read the broker records the status and leaves the queues a gap, not their last values', () => {
    const { monitor, recorder, runDeferred } = setup();
    const a1 = goodView('a', t0, 5);
    monitor.emit(a1);
    let last = a1;
    for (let i = 1; i <= 4; i++) {
      now = t0 + i * 5000 + 1000;
      last = downView(last);
      monitor.emit(last);
    }
    now = t0 + 25_000;
    monitor.emit(goodView('a', t0 + 25_000, 9));
    runDeferred();
    expect(waitingOf(recorder, 'a', t0 + 25_000)).toEqual([[0, 5], [5000, null], [25_000, 9]]);
    const status = recorder.query({ connection: 'a', figures: ['status'], fromAt: t0, toAt: t0 + 25_000 }).series[0]!.points;
    expect(status.map((p) => [p.at - t0, p.value])).toEqual([[0, 0], [5000, 3], [10_000, 3], [15_000, 3], [20_000, 3], [25_000, 0]]);
  });

  it('a view never polled yet is not a poll', () => {
    const { monitor, recorder, runDeferred } = setup();
    monitor.emit({ ...goodView('a', t0, 1), takenAt: null, lastGoodPollAt: null, pollDurationMs: null });
    runDeferred();
    expect(recorder.info().oldestAt.raw).toBeNull();
  });

  it('a write error is logged once, never thrown; the polls are kept and written, in order, when the store recovers', () => {
    let failing = true;
    const flaky: HistoryStore = {
      record: (p: PollRecord) => { if (failing) throw new Error('SQLITE_FULL: database or disk is full'); store.record(p); },
      maintain: (n) => store.maintain(n), query: (q, n) => store.query(q, n), info: () => store.info(),
      setRetention: (r) => store.setRetention(r), recordTask: (d, at) => store.recordTask(d, at), tasks: (id, f) => store.tasks(id, f), close: () => {},
    };
    const { monitor, recorder, runDeferred, logs } = setup({ store: flaky });
    monitor.emit(goodView('a', t0, 1));
    expect(() => runDeferred()).not.toThrow();
    now = t0 + 5000;
    monitor.emit(goodView('a', t0 + 5000, 2));
    runDeferred();
    expect(recorder.pendingCount).toBe(2);
    expect(logs).toEqual(['history: could not write (SQLITE_FULL: database or disk is full); polls are kept and written when the store takes them']);
    failing = false;
    now = t0 + 10_000;
    monitor.emit(goodView('a', t0 + 10_000, 3));
    runDeferred();
    expect(recorder.pendingCount).toBe(0);
    expect(logs.at(-1)).toBe('history: writing again');
    expect(waitingOf(recorder, 'a', t0 + 10_000)).toEqual([[0, 1], [5000, 2], [10_000, 3]]);
  });

  it('gives a poll up after three failed writes, and keeps at most maxPending', () => {
    const refusing: HistoryStore = {
      record: () => { throw new Error('no'); }, maintain: () => {}, query: (q, n) => store.query(q, n), info: () => store.info(),
      setRetention: (r) => store.setRetention(r), recordTask: () => {}, tasks: () => [], close: () => {},
    };
    const { monitor, recorder, runDeferred, logs } = setup({ store: refusing, maxPending: 2 });
    for (let i = 0; i < 4; i++) monitor.emit(goodView('a', t0 + i * 5000, i));
    expect(recorder.pendingCount).toBe(2);
    expect(logs[0]).toBe('history: 1 poll(s) not recorded: the store has refused writes for too long');
    runDeferred();
    recorder.flush();
    recorder.flush();
    expect(recorder.pendingCount).toBe(1);
    expect(logs.some((l) => /given up after 3 failed writes/.test(l))).toBe(true);
  });

  it('without a store: nothing is subscribed, queries are empty and info says off', () => {
    const { monitor, recorder } = setup({ store: null });
    expect(monitor.listenerCount).toBe(0);
    expect(recorder.query({ connection: 'a', queue: 'default', figures: ['waiting'], fromAt: 1, toAt: 2 })).toEqual({ fromAt: 1, toAt: 2, resolution: 'raw', bucketMs: null, series: [] });
    expect(recorder.info()).toMatchObject({ enabled: false, sizeBytes: 0, path: null });
  });

  it('stop() unsubscribes and writes what waits', () => {
    const { monitor, recorder } = setup();
    monitor.emit(goodView('a', t0, 8));
    recorder.stop();
    expect(monitor.listenerCount).toBe(0);
    expect(store.info().oldestAt.raw).toBe(t0);
  });
});
