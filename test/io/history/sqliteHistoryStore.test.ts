import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryQuery } from '../../../src-main/contract/history.js';
import type { TaskDetail } from '../../../src-main/contract/task.js';
import { SqliteHistoryStore, maxTaskDetails } from '../../../src-main/io/history/sqliteHistoryStore.js';
import { day, hour, min, poll, queue, sec, t0, tempDir, unreachablePoll, worker } from './historyFixtures.js';

let temp: ReturnType<typeof tempDir>;
const open: SqliteHistoryStore[] = [];
function openStore(name = 'history.db', options: Partial<ConstructorParameters<typeof SqliteHistoryStore>[0]> = {}): SqliteHistoryStore {
  const store = new SqliteHistoryStore({ path: temp.file(name), pollIntervalMs: 5000, ...options });
  open.push(store);
  return store;
}
beforeEach(() => { temp = tempDir(); });
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  temp.remove();
});

const ask = (over: Partial<HistoryQuery>): HistoryQuery => ({ connection: 'prod', queue: 'default', figures: ['waiting'], fromAt: t0, toAt: t0 + hour, ...over });
const valuesOf = (points: { value: number | null }[]) => points.map((p) => p.value);

/** Polls every 5 s over [from, to) with the figures `at` gives. */
function pollEvery(store: SqliteHistoryStore, from: number, to: number, figures: (i: number, at: number) => Parameters<typeof queue>[2], step = 5 * sec): number {
  let i = 0;
  for (let at = from; at < to; at += step, i += 1) store.record(poll(at, [queue('default', at, figures(i, at))], { pollIntervalMs: step }));
  return i;
}

/** Independent expectations: plain loops over the same samples, not the core's functions. */
function bucketsOf(samples: { at: number; v: number | null }[], width: number, fold: (vs: number[]) => number) {
  const out = new Map<number, number | null>();
  const by = new Map<number, number[]>();
  for (const s of samples) {
    const b = s.at - (s.at % width);
    if (!by.has(b)) by.set(b, []);
    if (s.v !== null) by.get(b)!.push(s.v);
  }
  for (const [b, vs] of by) out.set(b, vs.length ? fold(vs) : null);
  return out;
}
const maxOf = (vs: number[]) => Math.max(...vs);
const minOf = (vs: number[]) => Math.min(...vs);
const meanOf = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;

describe('SqliteHistoryStore rollups', () => {
  it('1 min and 1 h rows equal the max / min / weighted mean of their raw samples, silent buckets absent', () => {
    const store = openStore();
    const end = t0 + 3 * hour + 5 * min;
    const samples: { at: number; waiting: number; throughput: number | null; ratio: number }[] = [];
    pollEvery(store, t0, end, (i, at) => {
      // A throughput unknown for a while (null, not 0) must not pull the mean down.
      const s = { at, waiting: (i * 7) % 23, throughput: i % 50 < 5 ? null : (i % 13) + 0.5, ratio: 1 - (i % 9) / 100 };
      samples.push(s);
      return { waiting: s.waiting, throughputPerMin: s.throughput, successRatio: s.ratio };
    });
    store.maintain(end);
    store.close();

    const db = new Database(temp.file('history.db'), { readonly: true });
    const rows = (table: string) => db.prepare(`SELECT at, waiting, throughputPerMin AS t, throughputPerMin_n AS n, successRatio AS r FROM ${table} ORDER BY at`).all() as { at: number; waiting: number; t: number | null; n: number; r: number }[];
    const minute = rows('queue_1m');
    // Minutes up to the one that closed a minute before `end` are rolled up: 3 h and 4 min.
    expect(minute.map((r) => r.at)).toEqual(Array.from({ length: 184 }, (_, i) => t0 + i * min));
    const wMax = bucketsOf(samples.map((s) => ({ at: s.at, v: s.waiting })), min, maxOf);
    const tMean = bucketsOf(samples.map((s) => ({ at: s.at, v: s.throughput })), min, meanOf);
    const rMin = bucketsOf(samples.map((s) => ({ at: s.at, v: s.ratio })), min, minOf);
    for (const r of minute) {
      expect(r.waiting).toBe(wMax.get(r.at));
      expect(r.r).toBe(rMin.get(r.at));
      expect(r.t === null ? null : r.t).toBeCloseTo(tMean.get(r.at) ?? NaN, 9);
      expect(r.n).toBe(samples.filter((s) => s.at - (s.at % min) === r.at && s.throughput !== null).length);
    }
    const hourly = rows('queue_1h');
    expect(hourly.map((r) => r.at)).toEqual([t0, t0 + hour, t0 + 2 * hour]);
    const hMax = bucketsOf(samples.map((s) => ({ at: s.at, v: s.waiting })), hour, maxOf);
    const hMean = bucketsOf(samples.map((s) => ({ at: s.at, v: s.throughput })), hour, meanOf);
    const hMin = bucketsOf(samples.map((s) => ({ at: s.at, v: s.ratio })), hour, minOf);
    for (const r of hourly) {
      expect(r.waiting).toBe(hMax.get(r.at));
      expect(r.r).toBe(hMin.get(r.at));
      // The mean of the hour is the mean of its 720 polls, not the mean of 60 minute means.
      expect(r.t).toBeCloseTo(hMean.get(r.at)!, 9);
    }
    db.close();
  });

  it('a chart over the 1 h rollups reaches the last poll through the finer tables', () => {
    const store = openStore();
    const end = t0 + 3 * hour + 30 * min;
    pollEvery(store, t0, end, (i) => ({ waiting: i }));
    const view = store.query(ask({ fromAt: t0 - 40 * day, toAt: end }), end);
    expect(view.resolution).toBe('1h');
    const points = view.series[0]!.points;
    expect(points.length).toBeLessThanOrEqual(1000);
    const tail = points.filter((p) => p.value !== null);
    // Max per hour: the last hour, not rolled up yet, holds the last poll (i = 2519).
    expect(view.bucketMs).toBe(hour);
    expect(tail.map((p) => p.value)).toEqual([719, 1439, 2159, 2519]);
    expect(tail.map((p) => p.at)).toEqual([t0, t0 + hour, t0 + 2 * hour, t0 + 3 * hour]);
  });
});

describe('SqliteHistoryStore gaps', () => {
  it('polling stopped and an unreachable broker leave gaps (null), never zeros; an unknown figure is null', () => {
    const store = openStore();
    pollEvery(store, t0, t0 + 10 * min, () => ({ waiting: 4, running: null }));
    for (let at = t0 + 10 * min; at < t0 + 14 * min; at += 5 * sec) store.record(unreachablePoll(at));
    // 14–20 min: nothing recorded at all (the app was closed).
    pollEvery(store, t0 + 20 * min, t0 + 30 * min, () => ({ waiting: 6, running: null }));
    const now = t0 + 30 * min;

    const raw = store.query(ask({ figures: ['waiting', 'running'], toAt: now - 5 * sec }), now);
    expect(raw).toMatchObject({ resolution: 'raw', bucketMs: null });
    const waiting = raw.series.find((s) => s.figure === 'waiting')!.points;
    expect(waiting.filter((p) => p.value === null)).toEqual([{ at: t0 + 10 * min, value: null }]);
    expect(waiting.some((p) => p.value === 0)).toBe(false);
    expect(waiting.length).toBe(240 + 1);
    expect(new Set(valuesOf(raw.series.find((s) => s.figure === 'running')!.points))).toEqual(new Set([null]));

    // The connection's own status is a value while unreachable (3) and absent while closed.
    const status = store.query({ connection: 'prod', figures: ['status'], fromAt: t0, toAt: now - 5 * sec }, now).series[0]!.points;
    expect(status.filter((p) => p.value === 3).length).toBe(48);
    expect(status.filter((p) => p.value === null)).toEqual([{ at: t0 + 14 * min, value: null }]);

    // Downsampled (a day's range, from the 1 min rollups and the raw rows after them): the
    // buckets of the outage are null.
    const down = store.query(ask({ fromAt: now - day, toAt: now }), now);
    expect(down).toMatchObject({ resolution: '1m', bucketMs: 2 * min });
    const byAt = new Map(down.series[0]!.points.map((p) => [p.at, p.value]));
    expect([8, 10, 12, 18, 20, 28].map((k) => byAt.get(t0 + k * min))).toEqual([4, null, null, null, 6, 6]);
    expect(byAt.get(t0 - 60 * min)).toBeNull();
    expect([...byAt.values()].includes(0)).toBe(false);

    // In the 1 min rollups, the silent minutes have no row: null on a 1 min chart too.
    store.maintain(now + 2 * min);
    const minute = store.query(ask({ fromAt: t0 - 2 * day, toAt: t0 + 30 * min - 1 }), now + 2 * min);
    expect(minute).toMatchObject({ resolution: '1m', bucketMs: 3 * min });
    const m = new Map(minute.series[0]!.points.map((p) => [p.at, p.value]));
    expect([9, 12, 15, 18, 21].map((k) => m.get(t0 + k * min))).toEqual([4, null, null, 6, 6]);
  });
});

describe('SqliteHistoryStore downsampling', () => {
  it('24 h of polls at 5 s: ≤ 1000 points from the 1 min rollups, each the max (or mean) of its 2 min of polls', () => {
    const store = openStore();
    const now = t0 + day;
    const value = (i: number) => (i * 31) % 1009;
    const rate = (i: number) => (i % 7) + 0.25;
    expect(pollEvery(store, t0, now, (i) => ({ waiting: value(i), throughputPerMin: rate(i) }))).toBe(17_280);
    const view = store.query(ask({ figures: ['waiting', 'throughputPerMin'], fromAt: t0, toAt: now }), now);
    expect(view).toMatchObject({ resolution: '1m', bucketMs: 120_000 });
    const [waiting, throughput] = view.series.map((s) => s.points);
    expect(waiting!.length).toBe(721);
    const polls = Array.from({ length: 17_280 }, (_, i) => ({ at: t0 + i * 5000, i }));
    const maxes = bucketsOf(polls.map((p) => ({ at: p.at, v: value(p.i) })), 120_000, maxOf);
    const means = bucketsOf(polls.map((p) => ({ at: p.at, v: rate(p.i) })), 120_000, meanOf);
    // The last minutes come from raw rows not rolled up yet: the same values all the same.
    for (const p of waiting!.slice(0, -1)) expect(p.value).toBe(maxes.get(p.at));
    for (const p of throughput!.slice(0, -1)) expect(p.value).toBeCloseTo(means.get(p.at)!, 9);
    expect(waiting!.at(-1)!.value).toBeNull(); // the bucket starting at `now` holds no poll yet
    // A 6 h range still reads the raw samples: 25 s points (five polls each).
    const six = store.query(ask({ fromAt: now - 6 * hour, toAt: now }), now);
    expect(six).toMatchObject({ resolution: 'raw', bucketMs: 25_000 });
    const raw25 = bucketsOf(polls.map((p) => ({ at: p.at, v: value(p.i) })), 25_000, maxOf);
    for (const p of six.series[0]!.points.slice(0, -1)) expect(p.value).toBe(raw25.get(p.at));
  });

  it('polls faster than the interval recorded are still capped at maxPoints', () => {
    const store = openStore('h.db');
    // Recorded as 5 s, but 1 s apart: 600 samples in 10 min do not fit in 100 points.
    for (let at = t0; at < t0 + 10 * min; at += sec) store.record(poll(at, [queue('default', at, { waiting: 1 })]));
    const view = store.query(ask({ toAt: t0 + 10 * min, maxPoints: 100 }), t0 + 10 * min);
    expect(view.series[0]!.points.length).toBeLessThanOrEqual(100);
    expect(view.bucketMs).not.toBeNull();
  });
});

describe('SqliteHistoryStore retention and size', () => {
  it('prunes each resolution by its retention, and reports the oldest kept and the size', () => {
    const store = openStore('r.db', { retention: { rawMs: hour, minuteMs: 2 * hour, hourMs: day } });
    const end = t0 + 6 * hour;
    pollEvery(store, t0, end, (i) => ({ waiting: i % 5 }), 30 * sec);
    store.maintain(end);
    const info = store.info();
    expect(info.retention).toMatchObject({ rawMs: hour, minuteMs: 2 * hour, hourMs: day });
    expect(info.oldestAt.raw).toBe(end - hour); // polls every 30 s fall on the boundary
    expect(info.oldestAt['1m']).toBe(end - 2 * hour);
    expect(info.oldestAt['1h']).toBe(t0);
    expect(info.path).toBe(temp.file('r.db'));
    // A day later (no polls in between), everything but the hours is gone.
    store.maintain(end + day - 2 * hour);
    expect(store.info().oldestAt).toEqual({ raw: null, '1m': null, '1h': t0 + 4 * hour });
    const size = store.info().sizeBytes;
    store.close();
    expect(size).toBeGreaterThan(0);
    expect(statSync(temp.file('r.db')).size).toBe(size);
  });

  it('never drops raw rows that are not rolled up yet, whatever the retention', () => {
    const store = openStore('u.db', { retention: { rawMs: min } });
    pollEvery(store, t0, t0 + 10 * min, () => ({ waiting: 9 }));
    // Closed for two days: at reopen the last minutes are rolled up before raw rows are pruned.
    store.close();
    const again = openStore('u.db');
    again.maintain(t0 + 2 * day);
    const view = again.query(ask({ fromAt: t0, toAt: t0 + 10 * min - 1 }), t0 + 2 * day);
    expect(view.resolution).toBe('1m');
    expect(valuesOf(view.series[0]!.points)).toEqual(Array(10).fill(9));
  });

  it('lowering retention gives the pages back: the file shrinks', () => {
    const store = openStore('s.db');
    const end = t0 + 6 * hour;
    for (let at = t0; at < end; at += 5 * sec) store.record(poll(at, Array.from({ length: 20 }, (_, q) => queue(`q${q}`, at, { waiting: q }))));
    const before = store.info().sizeBytes;
    store.setRetention({ rawMs: hour });
    store.maintain(end);
    const after = store.info().sizeBytes;
    expect(after).toBeLessThan(before / 2);
  });

  it('refuses retention that is not positive or finer longer than coarser', () => {
    const store = openStore();
    expect(() => store.setRetention({ rawMs: 0 })).toThrow(/rawMs/);
    expect(() => store.setRetention({ rawMs: 40 * day })).toThrow(/raw retention/);
    expect(store.info().retention.rawMs).toBe(day);
  });
});

describe('SqliteHistoryStore restart', () => {
  it('survives close and reopen: series, retention and poll interval as before, rollups carry on', () => {
    const store = openStore('x.db', { retention: { minuteMs: 10 * day } });
    pollEvery(store, t0, t0 + 20 * min, (i) => ({ waiting: i }), 2 * sec);
    const before = store.query(ask({ toAt: t0 + 20 * min }), t0 + 20 * min);
    store.close();

    const again = openStore('x.db');
    expect(again.info()).toMatchObject({ pollIntervalMs: 2000, retention: { minuteMs: 10 * day, rawMs: day } });
    expect(again.query(ask({ toAt: t0 + 20 * min }), t0 + 20 * min)).toEqual(before);
    // Polling resumes after an hour away: the minutes before the stop still get rolled up.
    pollEvery(again, t0 + 80 * min, t0 + 90 * min, () => ({ waiting: 1000 }), 2 * sec);
    again.maintain(t0 + 95 * min);
    const db = new Database(temp.file('x.db'), { readonly: true });
    const rows = db.prepare('SELECT at, waiting FROM queue_1m ORDER BY at').all() as { at: number; waiting: number }[];
    db.close();
    expect(rows.map((r) => r.at)).toEqual([...Array.from({ length: 20 }, (_, i) => t0 + i * min), ...Array.from({ length: 10 }, (_, i) => t0 + (80 + i) * min)]);
    expect(rows[19]!.waiting).toBe(599);
  });

  it('refuses a file written by a newer schema, leaving it as it is', () => {
    openStore('n.db').close();
    const db = new Database(temp.file('n.db'));
    db.prepare("UPDATE meta SET value = '2' WHERE key = 'schemaVersion'").run();
    db.close();
    expect(() => openStore('n.db')).toThrow(/written by a newer task-status \(schema 2; this one reads 1\)/);
  });

  it('a write that fails (the file locked by another process) loses nothing stored and mixes no series up', () => {
    const store = openStore('l.db');
    store.record(poll(t0, [queue('a', t0, { waiting: 1 })]));
    const other = new Database(temp.file('l.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    expect(() => store.record(poll(t0 + 5000, [queue('b', t0 + 5000, { waiting: 2 })]))).toThrow(/locked|busy/i);
    other.prepare('ROLLBACK').run();
    other.close();
    // `c` is new after the failed write took `b`'s id with it; `b` then arrives again.
    store.record(poll(t0 + 10_000, [queue('c', t0 + 10_000, { waiting: 3 })]));
    store.record(poll(t0 + 15_000, [queue('b', t0 + 15_000, { waiting: 4 })]));
    const series = (name: string) => valuesOf(store.query(ask({ queue: name, toAt: t0 + 20_000 }), t0 + 20_000).series[0]!.points.filter((p) => p.value !== null));
    expect([series('a'), series('b'), series('c')]).toEqual([[1], [4], [3]]);
  });
});

describe('SqliteHistoryStore connection figures', () => {
  it('counts each worker once, and says null when no probe could see workers', () => {
    const store = openStore();
    store.record(poll(t0, [queue('a', t0), queue('b', t0)], {
      workers: [worker('w1', { busy: true }), worker('w2'), worker('w3', { state: 'offline', busy: null })],
    }));
    store.record(poll(t0 + 5000, [queue('a', t0 + 5000, { workers: { online: null, busy: null, offline: null } })], { workers: [] }));
    const view = store.query({ connection: 'prod', figures: ['workersOnline', 'workersBusy', 'workersOffline', 'pollDurationMs'], fromAt: t0, toAt: t0 + 5000 }, t0 + 5000);
    expect(view.series.map((s) => [s.queue, s.figure, valuesOf(s.points)])).toEqual([
      [null, 'workersOnline', [2, null]], [null, 'workersBusy', [1, null]], [null, 'workersOffline', [1, null]], [null, 'pollDurationMs', [3, 3]],
    ]);
    // With a queue, the worker figures are the queue's.
    expect(valuesOf(store.query(ask({ queue: 'a', figures: ['workersOnline'], toAt: t0 + 5000 }), t0 + 5000).series[0]!.points)).toEqual([1, null]);
  });
});

describe('SqliteHistoryStore task details', () => {
  const task = (id: string, state: TaskDetail['state']): TaskDetail => ({
    id, framework: 'rq', connection: 'prod', queue: 'default', name: 'jobs.add', description: null, state,
    args: [1, 2], kwargs: {}, enqueuedAt: t0, startedAt: t0, finishedAt: t0 + 1000, worker: 'w1', retries: 0,
    result: null, error: state === 'failed' ? { type: 'ValueError', message: 'boom', traceback: 'Traceback …' } : null, sources: ['job hash'],
  });

  it('keeps failed tasks 30 days and others 24 h; a failed task that later succeeded is kept as a success', () => {
    const store = openStore();
    store.recordTask(task('f1', 'failed'), t0);
    store.recordTask(task('d1', 'dead'), t0);
    store.recordTask(task('s1', 'succeeded'), t0);
    store.recordTask(task('r1', 'failed'), t0);
    store.recordTask(task('r1', 'succeeded'), t0 + 1000);
    store.maintain(t0 + 23 * hour);
    expect(['f1', 'd1', 's1', 'r1'].map((id) => store.tasks(id).length)).toEqual([1, 1, 1, 1]);
    store.maintain(t0 + 25 * hour);
    expect(['f1', 'd1', 's1', 'r1'].map((id) => store.tasks(id).length)).toEqual([1, 1, 0, 0]);
    expect(store.tasks('f1')[0]).toEqual(task('f1', 'failed'));
    store.maintain(t0 + 31 * day);
    expect(store.tasks('f1')).toEqual([]);
  });

  it('is bounded: the newest details stay', () => {
    const store = openStore();
    for (let i = 0; i < maxTaskDetails.other + 5; i++) store.recordTask(task(`s${i}`, 'succeeded'), t0 + i);
    store.recordTask(task('f', 'failed'), t0);
    store.maintain(t0 + 2000);
    expect([store.tasks('s0').length, store.tasks('s4').length, store.tasks('s5').length, store.tasks(`s${maxTaskDetails.other + 4}`).length, store.tasks('f').length])
      .toEqual([0, 0, 1, 1, 1]);
  });
});
