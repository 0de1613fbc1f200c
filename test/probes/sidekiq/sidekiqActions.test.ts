import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import { confirmationFor, type TaskActionRequest } from '../../../src-main/contract/taskList.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllSidekiqs, sidekiqEnqueue, sidekiqFindJob, sidekiqReport, startSidekiq } from '../../support/sidekiqWorkers.js';
import { waitFor } from '../../support/rqWorkers.js';

/** Sidekiq actions on a real Sidekiq 6.4 process's retry and dead sets; results as Sidekiq's own API reports them. */
let redis: PrivateRedis;
let app: TaskStatusApp;
let dir: string;
let retried: string[];
let dead: string[];
let waiting: string[];
const act = (r: Omit<TaskActionRequest, 'connection' | 'framework' | 'confirm'>) => {
  const full = { connection: 'local', framework: 'sidekiq' as const, ...r };
  return app.api.runTaskAction({ ...full, confirm: confirmationFor(full) });
};

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'task-status-sidekiq-actions-'));
  retried = sidekiqEnqueue(redis, 0, [{ class: 'RetryJob', args: ['r1'], queue: 'jobs' }, { class: 'RetryJob', args: ['r2'], queue: 'jobs' }]);
  dead = sidekiqEnqueue(redis, 0, [{ class: 'DeadJob', args: ['d1'], queue: 'jobs' }]);
  const worker = await startSidekiq(redis, { db: 0, queues: ['jobs'], tag: 'actions' });
  await waitFor(() => { const r = sidekiqReport(redis, 0); return r.stats.retry === 2 && r.stats.dead === 1; }, 'two retries and one death');
  await worker.stop();
  waiting = sidekiqEnqueue(redis, 0, [{ class: 'OkJob', args: [1], queue: 'jobs' }, { class: 'OkJob', args: [2], queue: 'jobs' }, { class: 'OkJob', args: [3], queue: 'other' }]);
  const config = resolveConnections({ redisUrls: [], env: {}, trayConfig: null, configFile: { path: 't', config: { readOnly: false, connections: [{ id: 'local', kind: 'redis', url: redis.url(0) }] } } });
  app = createApp({ config, actionLogPath: join(dir, 'actions.log') });
}, 60_000);
afterAll(async () => {
  await destroyAllSidekiqs();
  await app?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Sidekiq actions', () => {
  it('retry of a retry entry: out of the set, into its queue with one retry fewer, as Sidekiq finds it', async () => {
    const before = sidekiqFindJob(redis, 0, retried[0]!)!;
    expect(await act({ queue: 'jobs', action: 'retry', id: retried[0]! })).toMatchObject({ done: `retried Sidekiq job ${retried[0]} from retry: pushed to queue jobs`, affectedCount: 1 });
    const report = sidekiqReport(redis, 0);
    expect([report.stats.retry, report.queues.jobs!.size]).toEqual([1, 3]);
    const after = sidekiqFindJob(redis, 0, retried[0]!)!;
    expect(after.retry_count).toBe((before.retry_count as number) - 1);
    expect(after.error_message).toBe('r1');
    expect(Math.abs((after.enqueued_at as number) - Date.now() / 1000)).toBeLessThan(60);
    expect((await app.api.listTasks({ connection: 'local', framework: 'sidekiq', queue: 'jobs', state: 'waiting' })).items.map((t) => t.id)).toEqual([...waiting.slice(0, 2), retried[0]]);
  });

  it('retry of a dead entry, and delete from the retry set and from a queue', async () => {
    await act({ queue: 'jobs', action: 'retry', id: dead[0]! });
    await act({ queue: 'jobs', action: 'delete', id: retried[1]! });
    await act({ queue: 'jobs', action: 'delete', id: waiting[0]! });
    const report = sidekiqReport(redis, 0);
    expect([report.stats.retry, report.stats.dead, report.queues.jobs!.size]).toEqual([0, 0, 3]);
    expect(sidekiqFindJob(redis, 0, retried[1]!)).toBeNull();
    expect(sidekiqFindJob(redis, 0, waiting[0]!)).toBeNull();
    await expect(act({ queue: 'jobs', action: 'retry', id: waiting[1]! })).rejects.toMatchObject({ code: 'BAD_USAGE', detail: expect.stringContaining('only retry and dead entries are retried') });
    await expect(act({ queue: 'jobs', action: 'delete', id: waiting[2]! })).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
  });

  it('purge clears the queue as Queue#clear does', async () => {
    expect(await act({ queue: 'jobs', action: 'purge' })).toMatchObject({ affectedCount: 3 });
    const report = sidekiqReport(redis, 0);
    expect(report.queues.jobs).toBeUndefined();
    expect(report.queues.other!.size).toBe(1);
  });
});
