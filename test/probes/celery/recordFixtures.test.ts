import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  celeryInspect, destroyAllCeleryWorkers, sendTasks, startCeleryWorker, waitUntil, type CeleryAppSettings,
} from '../../support/celeryWorkers.js';
import { dumpDatabase, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { llenAll } from './celeryHarness.js';

/**
 * Records test/fixtures/redis/celery/5.2.6-*.json from real workers (Debian's celery 5.2.6,
 * kombu 5.2.4). Skipped unless RECORD_CELERY_FIXTURES=1: the fixtures are committed, and the
 * contract suite replays them. Each `expect` is what Celery reported at recording time
 * (`celery inspect` for reserved/scheduled, LLEN of every priority list for waiting); figures
 * that only events can give are `null` in a replayed layout.
 */
const record = process.env.RECORD_CELERY_FIXTURES === '1';
const out = join(import.meta.dirname, '..', '..', 'fixtures', 'redis', 'celery');
const eventsOnly = { running: null, failed: null, retrying: null, dead: null, 'workers.online': null, 'workers.busy': null, 'workers.offline': null };

describe.runIf(record)('record Celery 5.2.6 layouts', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await destroyAllCeleryWorkers();
    await redis.stop();
  });

  async function save(scenario: string, db: number, description: string, expect: RedisFixture['expect']): Promise<void> {
    const recordedAt = Date.now();
    const fixture: RedisFixture = { framework: 'celery', version: '5.2.6', scenario, description, recordedAt, db, keys: await dumpDatabase(redis.url(), db), expect };
    writeFileSync(join(out, `5.2.6-${scenario}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  }

  it('idle: a worker on an empty queue', async () => {
    const app: CeleryAppSettings = { brokerUrl: redis.url(1), backendUrl: redis.url(1) };
    const w = await startCeleryWorker({ app, name: 'idle@qlab', queues: ['celery'], events: false });
    await save('idle', 1, 'one worker (no -E) consuming celery, nothing sent', { celery: { waiting: 0, reserved: 0, scheduled: 0, ...eventsOnly } });
    await w.stop();
  });

  it('backlog: priorities with no consumer, prefetched and ETA tasks held by a busy worker', async () => {
    const app: CeleryAppSettings = { brokerUrl: redis.url(2), backendUrl: redis.url(2), trackStarted: true };
    await startCeleryWorker({ app, name: 'busy@qlab', queues: ['celery'], events: true, concurrency: 1 });
    sendTasks(app, [{ task: 'sleep', args: [30] }]);
    sendTasks(app, [{ task: 'add', args: [1, 1], count: 3 }, { task: 'add', args: [2, 2], countdown: 600, count: 2 }]);
    sendTasks(app, [0, 0, 3, 5, 6, 9, 9, 9].map((priority) => ({ task: 'add' as const, args: [priority, 1], queue: 'backlog', priority })));
    await waitUntil(() => redis.cli(['HLEN', 'unacked'], 2) === '5', 'five messages taken');
    const reserved = celeryInspect<unknown[]>(app, 'reserved', ['busy@qlab'])['busy@qlab']!.length;
    const scheduled = celeryInspect<unknown[]>(app, 'scheduled', ['busy@qlab'])['busy@qlab']!.length;
    await save('backlog', 2, 'busy@qlab (-E, -c 1) runs sleep(30) with 3 adds prefetched and 2 countdown=600 adds held; 8 adds at priorities 0,0,3,5,6,9,9,9 on backlog with no consumer', {
      celery: { waiting: llenAll(redis, 2, 'celery'), reserved, scheduled, ...eventsOnly },
      backlog: { waiting: llenAll(redis, 2, 'backlog'), reserved: 0, scheduled: 0, ...eventsOnly },
    });
    await destroyAllCeleryWorkers();
  });

  it('prefix: a broker global_keyprefix, and failures kept only in the result backend', async () => {
    const app: CeleryAppSettings = { brokerUrl: redis.url(3), backendUrl: redis.url(3), keyPrefix: 'qlab:' };
    const w = await startCeleryWorker({ app, name: 'pre@qlab', queues: ['celery'], events: false });
    const failing = sendTasks(app, [{ task: 'fail', args: ['boom'], count: 2 }]);
    await waitUntil(() => failing.every((id) => redis.cli(['EXISTS', `celery-task-meta-${id}`], 3) === '1'), 'failures stored');
    await w.stop();
    sendTasks(app, [{ task: 'add', args: [1, 2], count: 4 }, { task: 'add', args: [1, 2], queue: 'reports', count: 2 }]);
    await save('prefix', 3, "global_keyprefix 'qlab:'; 2 tasks failed (result backend only), then the worker stopped; 4 adds on celery and 2 on reports", {
      celery: { waiting: llenAll(redis, 3, 'qlab:celery'), reserved: 0, scheduled: 0, ...eventsOnly },
      reports: { waiting: llenAll(redis, 3, 'qlab:reports'), reserved: 0, scheduled: 0, ...eventsOnly },
    });
  });
});
