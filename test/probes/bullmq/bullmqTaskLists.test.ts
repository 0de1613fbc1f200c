import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import type { TaskListQuery } from '../../../src-main/contract/taskList.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { closeAll, loadBullmq, track, until, type BullmqMajor } from '../../support/bullmqWorkers.js';

/**
 * BullMQ task lists, per major, against real queues and workers: every page equals what
 * BullMQ's own getters return (getWaiting/getPrioritized/getDelayed/getFailed/getCompleted).
 */
describe.each(['6', '5'] as BullmqMajor[])('BullMQ %s task lists', (major) => {
  const { Queue, Worker } = loadBullmq(major);
  let redis: PrivateRedis;
  let app: TaskStatusApp;
  const connection = () => ({ host: '127.0.0.1', port: redis.port, db: 0 });
  const list = (q: Partial<TaskListQuery>) => app.api.listTasks({ connection: 'local', framework: 'bullmq', queue: 'mail', state: 'waiting', ...q });
  let queue: InstanceType<typeof Queue>;

  beforeAll(async () => {
    redis = await startRedis();
    queue = track(new Queue('mail', { connection: connection() }));
    await queue.addBulk(Array.from({ length: 30 }, (_, i) => ({ name: 'send', data: { to: `user${i}@example.com` } })));
    await queue.add('urgent', { to: 'vip@example.com' }, { priority: 1 });
    await queue.add('later', { to: 'soon@example.com' }, { delay: 3_600_000 });
    await queue.add('later', { to: 'sooner@example.com' }, { delay: 600_000 });
    // A second queue a worker runs: two failures, one success.
    const work = track(new Queue('work', { connection: connection() }));
    await work.addBulk([{ name: 'ok', data: { n: 1 } }, { name: 'bad', data: { n: 2 } }, { name: 'bad', data: { n: 3 } }]);
    track(new Worker('work', async (job) => { if (job.name === 'bad') throw new Error(`boom ${job.data.n}`); return 'fine'; }, { connection: connection() }));
    await until(async () => (await work.getFailedCount()) === 2 && (await work.getCompletedCount()) === 1, 'the worker to finish three jobs');
    const config = resolveConnections({ redisUrls: [], env: {}, trayConfig: null, configFile: { path: 't', config: { connections: [{ id: 'local', kind: 'redis', url: redis.url(0) }] } } });
    app = createApp({ config, actionLogPath: '/dev/null' });
  }, 30_000);
  afterAll(async () => {
    await closeAll();
    await app?.close();
    await redis?.stop();
  });

  it('waiting: wait in the order workers take it, then prioritized, paged', async () => {
    // BullMQ's getWaiting lists the wait list in the order workers take it (FIFO: the oldest first).
    const wait = (await queue.getWaiting(0, -1)).map((j) => j.id);
    expect(wait.slice(0, 3)).toEqual(['1', '2', '3']);
    const expected = [...wait, ...(await queue.getPrioritized(0, -1)).map((j) => j.id)];
    const prioritized = (await queue.getPrioritized(0, -1)).map((j) => j.id);
    const first = await list({ limit: 20 });
    expect(first.total).toBe(expected.length);
    expect(first.total).toBe(31);
    expect(first.items.map((t) => t.id)).toEqual([...wait, ...prioritized].slice(0, 20));
    const second = await list({ offset: 20, limit: 20 });
    expect(second.items.map((t) => t.id)).toEqual([...wait, ...prioritized].slice(20));
    expect(second.items.at(-1)).toMatchObject({ name: 'urgent', state: 'waiting', description: 'urgent({"to":"vip@example.com"})' });
  });

  it('scheduled soonest first with the due time; failures newest first with the reason', async () => {
    const delayed = await queue.getDelayed(0, -1);
    const page = await list({ state: 'scheduled' });
    const byDue = [...delayed].sort((a, b) => (a.timestamp + (a.delay ?? 0)) - (b.timestamp + (b.delay ?? 0)));
    expect(page.items.map((t) => [t.id, t.scheduledAt])).toEqual(byDue.map((j) => [j.id, j.timestamp + (j.delay ?? 0)]));
    const work = new Queue('work', { connection: connection() });
    const failed = await work.getFailed(0, -1);
    const failures = await app.api.listTasks({ connection: 'local', framework: 'bullmq', queue: 'work', state: 'failed' });
    expect(failures.items.map((t) => [t.id, t.error, t.finishedAt])).toEqual(failed.map((j) => [j.id, j.failedReason, j.finishedOn]));
    const done = await app.api.listTasks({ connection: 'local', framework: 'bullmq', queue: 'work', state: 'succeeded' });
    expect(done.items.map((t) => t.id)).toEqual((await work.getCompleted(0, -1)).map((j) => j.id));
    await work.close();
  });

  it('searches the data text', async () => {
    const page = await list({ search: 'user17@' });
    expect(page.items.map((t) => t.description)).toEqual(['send({"to":"user17@example.com"})']);
    expect(page.searched).toEqual({ read: 31, of: 31 });
  });
});
