import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { apiTaskRetrier } from '../../../src-main/io/actions/apiTaskRetrier.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../../support/rqWorkers.js';

/**
 * The automatic retry's write side on real RQ 1.13 workers: failures made by a real worker,
 * retried through the Api's listTasks + runTaskAction, checked against RQ's own keys (the
 * failed registry and the queue list) read with redis-cli.
 */
const db = 5;
let redis: PrivateRedis;
let dir: string;
const apps: TaskStatusApp[] = [];

function appWith(readOnly: boolean): TaskStatusApp {
  const config = resolveConnections({
    redisUrls: [], env: {}, trayConfig: null,
    configFile: { path: 'test.yaml', config: { connections: [{ id: 'local', kind: 'redis', url: redis.url(db) }], ...(readOnly ? {} : { readOnly: false }) } },
  });
  const app = createApp({ config, actionLogPath: join(dir, 'writes.log') });
  apps.push(app);
  return app;
}

const failedCount = () => Number(redis.cli(['ZCARD', 'rq:failed:failing'], db));
const waitingCount = () => Number(redis.cli(['LLEN', 'rq:queue:failing'], db));

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'task-status-retrier-'));
  rqTool(redis, db, 'enqueue', Array.from({ length: 4 }, (_, i) => ({ queue: 'failing', func: 'fail', args: [`boom-${i}`] })));
  const worker = await startRqWorker(redis, { db, queues: ['failing'], name: 'w-retry' });
  await waitFor(() => failedCount() === 4, '4 failures');
  await worker.stop();
}, 60_000);

afterAll(async () => {
  await destroyAllRqWorkers();
  for (const app of apps) await app.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('apiTaskRetrier on real RQ', () => {
  it('supports the frameworks whose failed list offers retry', () => {
    const retrier = apiTaskRetrier(appWith(true).api);
    expect(['rq', 'celery', 'bullmq', 'sidekiq', 'rabbitmq'].filter((f) => retrier.supports(f as never))).toEqual(['rq']);
  });

  it('with read-only on (the default) refuses, and nothing moves', async () => {
    const retrier = apiTaskRetrier(appWith(true).api);
    await expect(retrier.retryFailed({ connection: 'local', framework: 'rq', queue: 'failing' }, 3)).rejects.toThrow('read-only is on: automatic retry needs readOnly: false in the config');
    expect([failedCount(), waitingCount()]).toEqual([4, 0]);
  });

  it('retries at most the limit: RQ\'s failed registry loses them and its queue holds them', async () => {
    const retrier = apiTaskRetrier(appWith(false).api);
    const { retried, failed } = await retrier.retryFailed({ connection: 'local', framework: 'rq', queue: 'failing' }, 3);
    expect(failed).toEqual([]);
    expect(retried).toHaveLength(3);
    expect([failedCount(), waitingCount()]).toEqual([1, 3]);
    expect(redis.cli(['LRANGE', 'rq:queue:failing', '0', '-1'], db).split('\n').sort()).toEqual([...retried].sort());
  });
});
