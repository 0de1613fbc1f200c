import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import type { TaskListQuery } from '../../../src-main/contract/taskList.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { sidekiqEnqueue, sidekiqReport } from '../../support/sidekiqWorkers.js';

/** Sidekiq task lists on jobs pushed by Sidekiq::Client itself; counts as Sidekiq's own API reports them. */
let redis: PrivateRedis;
let app: TaskStatusApp;
let mail: string[];
let later: string[];
const list = (q: Partial<TaskListQuery>) => app.api.listTasks({ connection: 'local', framework: 'sidekiq', queue: 'mail', state: 'waiting', ...q });

beforeAll(async () => {
  redis = await startRedis();
  mail = sidekiqEnqueue(redis, 0, Array.from({ length: 12 }, (_, i) => ({ class: 'OkJob' as const, args: [i, `to-${i}@example.com`], queue: 'mail' })));
  later = sidekiqEnqueue(redis, 0, [
    { class: 'OkJob', args: ['b'], queue: 'mail', in: 7200 },
    { class: 'OkJob', args: ['a'], queue: 'mail', in: 3600 },
    { class: 'OkJob', args: ['x'], queue: 'other', in: 60 },
  ]);
  const config = resolveConnections({ redisUrls: [], env: {}, trayConfig: null, configFile: { path: 't', config: { connections: [{ id: 'local', kind: 'redis', url: redis.url(0) }] } } });
  app = createApp({ config, actionLogPath: '/dev/null' });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await redis?.stop();
});

describe('Sidekiq task lists', () => {
  it('waiting: the queue in the order Sidekiq runs it (first pushed first), total as Queue#size', async () => {
    const report = sidekiqReport(redis, 0);
    const page = await list({ limit: 5, offset: 5 });
    expect(page.total).toBe(report.queues.mail!.size);
    expect(page.items.map((t) => t.id)).toEqual(mail.slice(5, 10));
    expect(page.items[0]).toMatchObject({ name: 'OkJob', state: 'waiting', description: 'OkJob(5,"to-5@example.com")', queue: 'mail' });
    expect((await list({ search: 'to-11@' })).items.map((t) => t.id)).toEqual([mail[11]]);
  });

  it('scheduled: this queue\'s entries of the shared schedule set, soonest first, as ScheduledSet counts them', async () => {
    const report = sidekiqReport(redis, 0);
    const page = await list({ state: 'scheduled' });
    expect(page.total).toBe(report.scheduled_by_queue.mail);
    expect(page.items.map((t) => t.id)).toEqual([later[1], later[0]]);
    expect(page.items[0]!.scheduledAt! - Date.now()).toBeGreaterThan(3_500_000);
    expect(page.notes[0]).toBe("schedule is shared by every queue: this queue's entries among all 3, soonest first");
  });
});
