import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryQuery } from '../../src-main/contract/history.js';
import { createApp, type TaskStatusApp } from '../../src-main/bootstrap/createApp.js';
import { resolveConnections } from '../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../support/rqWorkers.js';
import { tempDir } from '../io/history/historyFixtures.js';

/**
 * History end to end: the real monitor polls a private redis-server where real RQ 1.13 workers
 * run jobs, the recorder writes every poll to a SQLite file, and the Api's getHistory answers
 * with exactly the waiting counts those polls read (checked against LLEN read independently),
 * also after the app was closed and opened again on the same file.
 */
let redis: PrivateRedis;
let temp: ReturnType<typeof tempDir>;
const logs: string[] = [];
const db = 3;

function openApp(): TaskStatusApp {
  const resolved = resolveConnections({ redisUrls: [redis.url(db)], configFile: null, env: {}, trayConfig: null });
  return createApp({
    config: { ...resolved, pollIntervalMs: 500 },
    history: { path: temp.file('history.db') },
    session: { sampleIntervalMs: 0 },
    log: (line) => logs.push(line),
  });
}

const llen = (queue: string) => Number(redis.cli(['LLEN', `rq:queue:${queue}`], db));

describe('history on real RQ workers', () => {
  beforeAll(async () => {
    redis = await startRedis();
    temp = tempDir();
  });
  afterAll(async () => {
    await destroyAllRqWorkers();
    await redis.stop();
    temp.remove();
  });

  it('records every poll; getHistory returns the exact waiting counts polled, before and after a restart', async () => {
    let app = openApp();
    const connection = app.config.connections[0]!.id;
    const polled: { at: number; waiting: number }[] = [];
    for (let i = 1; i <= 6; i++) {
      rqTool(redis, db, 'enqueue', Array.from({ length: i }, () => ({ queue: 'backlog', func: 'add', args: [1, i] })));
      const view = await app.monitor.pollAll();
      const q = view.connections[0]!.queues.find((x) => x.queue === 'backlog')!;
      // Nothing consumes `backlog`: the count read now is the count the poll read.
      expect(q.waiting).toBe(llen('backlog'));
      polled.push({ at: q.takenAt, waiting: q.waiting! });
    }
    expect(polled.map((p) => p.waiting)).toEqual([1, 3, 6, 10, 15, 21]);
    const query: HistoryQuery = { connection, queue: 'backlog', framework: 'rq', figures: ['waiting'], fromAt: polled[0]!.at, toAt: polled.at(-1)!.at };
    const samples = (view: Awaited<ReturnType<TaskStatusApp['api']['getHistory']>>) =>
      view.series[0]!.points.filter((p) => p.value !== null).map((p) => ({ at: p.at, waiting: p.value }));
    const first = await app.api.getHistory(query);
    expect(first).toMatchObject({ resolution: 'raw', bucketMs: null });
    expect(first.series.map((s) => [s.connection, s.framework, s.namespace, s.queue, s.figure])).toEqual([[connection, 'rq', 'db3', 'backlog', 'waiting']]);
    expect(samples(first)).toEqual(polled);
    const info = await app.api.getHistoryInfo({});
    expect(info).toMatchObject({ enabled: true, path: temp.file('history.db'), pollIntervalMs: 500 });
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(info.oldestAt.raw).toBe(polled[0]!.at);
    await app.close();

    app = openApp();
    expect(samples(await app.api.getHistory(query))).toEqual(polled);
    await app.close();
    expect(logs).toEqual([]);
  });

  it('the poll loop records while a real worker drains a queue; the series equals what each poll read', async () => {
    const app = openApp();
    const connection = app.config.connections[0]!.id;
    rqTool(redis, db, 'enqueue', Array.from({ length: 8 }, () => ({ queue: 'drain', func: 'sleep_for', args: [0.3] })));
    const seen: { at: number; waiting: number | null }[] = [];
    app.monitor.onDidChangeDashboard((view) => {
      const q = view.connections[0]?.queues.find((x) => x.queue === 'drain');
      if (q && seen.at(-1)?.at !== q.takenAt) seen.push({ at: q.takenAt, waiting: q.waiting });
    });
    app.monitor.start();
    await waitFor(() => seen.length >= 2, 'two polls before the worker starts');
    await startRqWorker(redis, { db, queues: ['drain'], name: 'history-w1' });
    await waitFor(() => seen.some((s) => s.waiting === 0) && seen.length >= 6, 'the worker to drain the queue, polled');
    await app.monitor.stop();
    const view = await app.api.getHistory({ connection, queue: 'drain', figures: ['waiting', 'workersOnline'], fromAt: seen[0]!.at, toAt: seen.at(-1)!.at });
    const waiting = view.series.find((s) => s.figure === 'waiting')!.points.filter((p) => p.value !== null);
    expect(waiting.map((p) => ({ at: p.at, waiting: p.value }))).toEqual(seen);
    expect(waiting[0]!.value).toBe(8);
    const online = view.series.find((s) => s.figure === 'workersOnline')!.points;
    expect(online[0]!.value).toBe(0);
    expect(online.at(-1)!.value).toBe(1);
    await app.close();
    expect(logs).toEqual([]);
  });

  it('a failed task\'s detail is kept: after RQ forgot the job, getTask answers from history', async () => {
    const [id] = rqTool<string[]>(redis, db, 'enqueue', [{ queue: 'fails', func: 'fail', args: ['kept in history'] }]);
    await startRqWorker(redis, { db, queues: ['fails'], name: 'history-w2' });
    await waitFor(() => redis.cli(['ZCARD', 'rq:failed:fails'], db) === '1', 'the job to fail');
    const app = openApp();
    await app.monitor.pollAll();
    const live = await app.api.getTask({ id: id! });
    expect(live.task).toMatchObject({ id, state: 'failed', error: { message: expect.stringContaining('kept in history') } });
    // RQ drops a failed job when its TTL runs out: the job hash, its results and its registry entry go.
    redis.cli(['DEL', `rq:job:${id}`, `rq:results:${id}`], db);
    redis.cli(['ZREM', 'rq:failed:fails', id!], db);
    const kept = await app.api.getTask({ id: id! });
    expect(kept.task).toEqual({ ...live.task, sources: [...live.task.sources, 'history (no longer in the broker)'] });
    await app.close();
    expect(logs).toEqual([]);
  });
});
