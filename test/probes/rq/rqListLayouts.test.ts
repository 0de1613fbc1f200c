import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { TaskListState } from '../../../src-main/contract/taskList.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';
import { listFixtures, loadFixture, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/**
 * RQ 2.x lists from the recorded 2.10 layout (StartedJobRegistry members `<job>:<execution>`,
 * an abandoned execution past its expiry, an expired failed entry): the totals equal the figures
 * RQ itself reported at recording, and the ids are the jobs', without execution ids.
 */
let redis: PrivateRedis;
let pool: IoRedisPool;
let fixture: RedisFixture;
beforeAll(async () => {
  redis = await startRedis();
  fixture = listFixtures('rq').find((f) => f.version === '2.10' && f.scenario === 'executions')!;
  await loadFixture(redis.url(), fixture, 0);
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
});
afterAll(async () => {
  await pool?.close();
  await redis?.stop();
});

const list = async (state: TaskListState) => {
  const ctx = { connectionId: 'test', redis: pool.reader(0), now: fixture.recordedAt, rateWindowMs: 600_000, config: {} };
  const ns = { framework: 'rq' as const, db: 0, prefix: '', source: 'test' };
  const discovery = await rqProbe.discover(ctx, ns);
  return (await rqProbe.listTasks!(ctx, ns, discovery, null, { connection: 'test', framework: 'rq', queue: 'default', state }))!;
};

describe('RQ 2.10 layout lists', () => {
  it.each([
    ['waiting', ['j-w1', 'j-w2'], 'waiting'],
    ['running', ['j-run'], 'running'],
    ['failed', ['j-f1'], 'failed'],
    ['scheduled', ['j-retry', 'j-s1'], 'scheduled'],
  ] as const)('%s: %j, total as RQ counted', async (state, ids, figure) => {
    const page = await list(state);
    expect(page.items.map((t) => t.id)).toEqual(ids);
    expect(page.total).toBe(fixture.expect.default![figure]);
  });
});
