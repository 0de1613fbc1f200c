import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { celeryProbe } from '../../../src-main/probes/celery/celeryProbe.js';
import { listFixtures, loadFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { contextFor, namespace } from './celeryHarness.js';

/**
 * Task lookups in the recorded and written layouts: naive date_done (≤ 5.4) and date_done with
 * an offset (≥ 5.5), the result backend's own prefix, messages waiting and held.
 */
describe('celery task lookup in fixture layouts', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  const fixture = (version: string, scenario: string) => listFixtures('celery').find((f) => f.version === version && f.scenario === scenario)!;

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    await loadFixture(redis.url(), fixture('5.6.2', 'backlog'), 1);
    await loadFixture(redis.url(), fixture('5.2.6', 'prefix'), 2);
  });
  afterAll(async () => {
    await pool.close();
    await redis.stop();
  });

  it('5.6: a prefixed result backend record with date_done in +01:00', async () => {
    const ctx = contextFor(pool, 1, { keyPrefix: 'qlab:', resultKeyPrefix: 'qlab:' }, fixture('5.6.2', 'backlog').recordedAt);
    const ns = namespace(1, 'qlab:');
    expect(await celeryProbe.getTask!(ctx, ns, '4131c418-3c37-539d-bc04-eb92f2961f94', null)).toEqual({
      id: '4131c418-3c37-539d-bc04-eb92f2961f94', framework: 'celery', connection: 'test', queue: 'celery', name: 'app.tasks.add',
      description: 'app.tasks.add(1, 2)', state: 'succeeded', args: [1, 2], kwargs: {}, enqueuedAt: null, startedAt: null,
      // 2026-12-03T20:29:00.000000+01:00 is 19:29 UTC.
      finishedAt: Date.UTC(2026, 11, 3, 19, 29, 0), worker: 'w1@host', retries: 0, result: 3, error: null, sources: ['result backend'],
    });
    expect(await celeryProbe.getTask!(ctx, ns, 'f2fd00c2-c7fc-5539-aba2-884723bac3c8', null)).toMatchObject({
      // Python prints a KeyError's argument with its repr, as the record's own traceback shows.
      state: 'failed', name: 'app.tasks.lookup', error: { type: 'KeyError', message: "'missing'" },
    });
    // Without the backend prefix configured, the record is not found, and no queue holds it.
    expect(await celeryProbe.getTask!({ ...ctx, config: {} }, ns, '4131c418-3c37-539d-bc04-eb92f2961f94', null)).toBeNull();
  });

  it('5.6: waiting at priority 7, held until an ETA with an offset', async () => {
    const ctx = contextFor(pool, 1, {}, fixture('5.6.2', 'backlog').recordedAt);
    const ns = namespace(1, 'qlab:');
    expect(await celeryProbe.getTask!(ctx, ns, 'bc67629d-997c-5409-9a3f-99df07492343', null)).toMatchObject({
      state: 'waiting', queue: 'celery', args: ['monthly'], kwargs: { fmt: 'pdf' }, description: "app.tasks.report('monthly', **{'fmt': 'pdf'})",
    });
    expect(await celeryProbe.getTask!(ctx, ns, '7071720d-4816-5aac-b234-427887de3636', null)).toMatchObject({ state: 'scheduled', sources: ['queue message (unacked)'] });
    expect(await celeryProbe.getTask!(ctx, ns, '6f1e5a44-2f83-5c10-82d4-bcde494bef50', null)).toMatchObject({ state: 'reserved' });
  });

  it('5.2.6: failures kept in the result backend, date_done naive UTC', async () => {
    const f = fixture('5.2.6', 'prefix');
    const metaKey = f.keys.find((k) => typeof k.key === 'string' && k.key.startsWith('celery-task-meta-'))!;
    const id = (metaKey.key as string).slice('celery-task-meta-'.length);
    const record = JSON.parse((metaKey as { value: string }).value) as { date_done: string };
    const detail = await celeryProbe.getTask!(contextFor(pool, 2, {}, f.recordedAt), namespace(2, 'qlab:'), id, null);
    expect(detail).toMatchObject({ state: 'failed', error: { type: 'ValueError', message: 'boom' } });
    expect(detail!.finishedAt).toBe(Date.parse(`${record.date_done.slice(0, 23)}Z`));
  });
});
