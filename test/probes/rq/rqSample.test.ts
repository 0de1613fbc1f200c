import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { FinishedTask } from '../../../src-main/probes/probe.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';
import { sampleRq } from '../../../src-main/probes/rq/rqSample.js';
import { parseIsoTime } from '../../../src-main/probes/shared/time.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers } from '../../support/rqWorkers.js';
import { runRqScenario } from './rqScenario.js';

let redis: PrivateRedis;
let pool: IoRedisPool;

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
  await runRqScenario(redis);
});

afterAll(async () => {
  await destroyAllRqWorkers();
  await pool?.close();
  await redis?.stop();
});

const ctxAt = (now: number) => ({ connectionId: 'test', redis: pool.reader(1), now, rateWindowMs: 600_000, config: {} });

/** What redis-cli reads for a registry: every live entry's job times, oldest finish first. */
function fromRegistry(registry: 'finished' | 'failed', nowS: number): FinishedTask[] {
  const ids = redis.cli(['ZRANGEBYSCORE', `rq:${registry}:work`, `(${nowS}`, '+inf'], 1).split('\n').filter(Boolean);
  return ids.map((id) => {
    const [enqueued, started, ended] = redis.cli(['HMGET', `rq:job:${id}`, 'enqueued_at', 'started_at', 'ended_at'], 1).split('\n');
    return { enqueuedAt: parseIsoTime(enqueued), startedAt: parseIsoTime(started), finishedAt: parseIsoTime(ended)!, succeeded: registry === 'finished' };
  });
}

describe('rq sample: recently finished jobs from real RQ 1.13 workers', () => {
  it('every finished and failed job of the window, with the times RQ wrote, over the span RQ keeps them', async () => {
    const now = Date.now();
    const nowS = Math.floor(now / 1000);
    const discovery = await rqProbe.discover(ctxAt(now), { framework: 'rq', db: 1, prefix: '', source: 'test' });
    const samples = await rqProbe.sample!(ctxAt(now), { framework: 'rq', db: 1, prefix: '', source: 'test' }, discovery);
    const work = samples.find((s) => s.queue === 'work')!;
    const expected = [...fromRegistry('finished', nowS), ...fromRegistry('failed', nowS)].sort((a, b) => a.finishedAt - b.finishedAt);
    expect(expected.map((t) => t.succeeded).filter(Boolean).length).toBe(6);
    expect(expected.length).toBe(9);
    // result_ttl is RQ's default 500 s: finished jobs older than that are gone, so that is the span covered.
    expect(work).toEqual({ queue: 'work', fromAt: now - 500_000, toAt: now, source: 'timestamps', truncated: false, tasks: expected });
    expect(samples.map((s) => [s.queue, s.tasks.length])).toEqual([['idle', 0], ['slow', 0], ['spare', 0], ['work', 9]]);
  });

  it('a bounded read says it is truncated and covers only the span it read', async () => {
    const now = Date.now();
    const [work] = await sampleRq(ctxAt(now), ['work'], 2);
    const all = [...fromRegistry('finished', Math.floor(now / 1000)), ...fromRegistry('failed', Math.floor(now / 1000))];
    expect(work!.truncated).toBe(true);
    // Complete over the span it claims: every job RQ keeps that finished since fromAt is there, and no other.
    const claimed = all.filter((t) => t.finishedAt >= work!.fromAt).sort((a, b) => a.finishedAt - b.finishedAt);
    expect(work!.tasks).toEqual(claimed);
    expect(claimed.length).toBeGreaterThanOrEqual(1);
    expect(claimed.length).toBeLessThan(all.length);
  });
});
