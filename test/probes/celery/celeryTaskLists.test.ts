import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import { confirmationFor, type TaskListPage, type TaskListQuery } from '../../../src-main/contract/taskList.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import {
  destroyAllCeleryWorkers, sendTasks, startCeleryCapture, startCeleryWorker, waitUntil,
  type CeleryAppSettings, type CeleryCapture,
} from '../../support/celeryWorkers.js';
import { llenAll } from './celeryHarness.js';

/** Task lists and actions on Celery 5 with real workers; order and counts checked against what the worker and kombu do. */
const db = 4;
let redis: PrivateRedis;
let dir: string;
let app: TaskStatusApp;
let settings: CeleryAppSettings;
let capture: CeleryCapture | null = null;

const list = async (q: Partial<TaskListQuery>): Promise<TaskListPage> => {
  await app.monitor.pollAll();
  return app.api.listTasks({ connection: 'local', framework: 'celery', queue: 'celq', state: 'waiting', ...q });
};
const act = (request: { queue: string; action: 'delete' | 'purge'; id?: string }) => {
  const full = { connection: 'local', framework: 'celery' as const, ...request };
  return app.api.runTaskAction({ ...full, confirm: confirmationFor(full) });
};

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'task-status-celery-actions-'));
  settings = { brokerUrl: redis.url(db), prefetch: 1 };
  const config = resolveConnections({
    redisUrls: [], env: {}, trayConfig: null,
    configFile: { path: 'test.yaml', config: { connections: [{ id: 'local', kind: 'redis', url: redis.url(db) }], readOnly: false } },
  });
  app = createApp({ config, actionLogPath: join(dir, 'actions.log'), session: { sampleIntervalMs: 0 } });
}, 30_000);

afterAll(async () => {
  await capture?.stop();
  await destroyAllCeleryWorkers();
  await app?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Celery task lists and actions', () => {
  let ids: string[] = [];

  it('pages waiting messages in the order a worker takes them; search and delete by id', async () => {
    ids = sendTasks(settings, Array.from({ length: 10 }, (_, i) => ({ task: 'add' as const, args: [i, 100], queue: 'celq' })));
    const page = await list({ limit: 4, offset: 2 });
    expect(page.total).toBe(llenAll(redis, db, 'celq'));
    expect(page.total).toBe(10);
    expect(page.items.map((t) => t.id)).toEqual(ids.slice(2, 6));
    expect(page.items[0]).toMatchObject({ framework: 'celery', name: 'tsapp.add', state: 'waiting', description: 'tsapp.add(2, 100)' });
    const found = await list({ search: ids[7]! });
    expect(found.items.map((t) => t.id)).toEqual([ids[7]]);
    expect(found.searched).toEqual({ read: 10, of: 10 });
    expect((await list({ search: 'add(4, 100' })).items.map((t) => t.id)).toEqual([ids[4]]);

    expect(await act({ queue: 'celq', action: 'delete', id: ids[3]! })).toMatchObject({ affectedCount: 1 });
    expect(llenAll(redis, db, 'celq')).toBe(9);
    const rest = ids.filter((_, i) => i !== 3);
    expect((await list({ limit: 50 })).items.map((t) => t.id)).toEqual(rest);

    // A worker (one process, one message prefetched) receives them in the listed order, never the deleted one.
    // Events are heard from the capture's start: a worker on another queue gets it going first.
    await startCeleryWorker({ app: settings, name: 'w0@lists', queues: ['warm'], events: true, concurrency: 1 });
    capture = await startCeleryCapture(settings);
    const worker = await startCeleryWorker({ app: settings, name: 'w1@lists', queues: ['celq'], events: true, concurrency: 1 });
    await waitUntil(async () => Object.values((await capture!.snapshot()).tasks).filter((t) => t.state === 'SUCCESS').length === 9, '9 tasks to succeed', 30_000);
    const tasks = (await capture.snapshot()).tasks;
    // Received before capture started is unknown; started times order the single process's work.
    const byStart = Object.entries(tasks).sort(([, a], [, b]) => (a.started ?? 0) - (b.started ?? 0)).map(([id]) => id);
    expect(byStart).toEqual(rest);
    expect(tasks[ids[3]!]).toBeUndefined();
    expect(worker.name).toBe('w1@lists');
  }, 60_000);

  it('lists failures heard from task events, newest first, with the exception', async () => {
    const failed = sendTasks(settings, [1, 2, 3].map((n) => ({ task: 'fail' as const, args: [`boom-${n}`], queue: 'celq' })));
    await waitUntil(async () => Object.entries((await capture!.snapshot()).tasks).filter(([id, t]) => failed.includes(id) && t.state === 'FAILURE').length === 3, 'three failures', 30_000);
    await waitUntil(async () => (await list({ state: 'failed' })).total === 3, 'the monitor to hear them');
    const page = await list({ state: 'failed' });
    const snapshot = (await capture!.snapshot()).tasks;
    const newestFirst = [...failed].sort((a, b) => (snapshot[b]!.failed ?? 0) - (snapshot[a]!.failed ?? 0));
    expect(page.items.map((t) => t.id)).toEqual(newestFirst);
    expect(page.items.map((t) => t.error)).toEqual(newestFirst.map((id) => snapshot[id]!.exception));
    expect(page.actions).toEqual(['purge']);
  }, 40_000);

  it('purge removes every message of the queue and its priority lists, as kombu counts them', async () => {
    sendTasks(settings, [
      { task: 'add', args: [1, 1], queue: 'purgeq', count: 7 },
      { task: 'add', args: [2, 2], queue: 'purgeq', priority: 9, count: 5 },
    ]);
    await app.monitor.pollAll();
    const before = llenAll(redis, db, 'purgeq');
    expect(before).toBe(12);
    const result = await act({ queue: 'purgeq', action: 'purge' });
    expect(result).toMatchObject({ affectedCount: 12, done: 'purged Celery queue purgeq: 12 messages removed' });
    expect(llenAll(redis, db, 'purgeq')).toBe(0);
  }, 30_000);
});
