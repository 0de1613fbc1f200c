import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { rqProbe, type RqDiscovery } from '../../../src-main/probes/rq/rqProbe.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/**
 * Cost independent of queue length: a queue of 1,000,000 job ids (db 1) and one of 1,000
 * (db 2), filled by pipeline in RQ's layout with minimal job hashes. The poll's SORT_RO … BY
 * nosort LIMIT 0 1 must read only the head, so a poll takes the same time on both.
 */
let redis: PrivateRedis;
let pool: IoRedisPool;
const enqueuedAt = '2026-12-03T10:00:00.000000Z';

async function fill(db: number, jobs: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port: redis.port, db });
  try {
    const chunk = 10_000;
    for (let start = 0; start < jobs; start += chunk * 10) {
      const p = client.pipeline();
      for (let c = start; c < Math.min(jobs, start + chunk * 10); c += chunk) {
        const ids = Array.from({ length: Math.min(chunk, jobs - c) }, (_, i) => `job-${c + i}`);
        p.rpush('rq:queue:big', ...ids);
      }
      await p.exec();
    }
    await client.hset('rq:job:job-0', 'enqueued_at', enqueuedAt, 'status', 'queued', 'origin', 'big');
    await client.sadd('rq:queues', 'rq:queue:big');
  } finally {
    client.disconnect();
  }
}

async function timePolls(db: number, rounds: number): Promise<{ p50: number; p95: number; oldest: unknown }> {
  const ctx = { connectionId: 'bench', redis: pool.reader(db), now: Date.now(), rateWindowMs: 600_000, config: {} };
  const ns = { framework: 'rq' as const, db, prefix: '', source: 'bench' };
  const discovery: RqDiscovery = await rqProbe.discover(ctx, ns);
  const times: number[] = [];
  let oldest: unknown;
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    const reading = await rqProbe.poll(ctx, ns, discovery, null, null);
    times.push(performance.now() - started);
    oldest = reading.queues[0]!.oldestWaitingAt;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(rounds / 2)]!, p95: times[Math.ceil(rounds * 0.95) - 1]!, oldest };
}

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'bench' });
  await fill(1, 1_000_000);
  await fill(2, 1_000);
}, 300_000);

afterAll(async () => {
  await pool?.close();
  await redis?.stop();
});

describe('rq poll cost does not grow with queue length', () => {
  it('a poll on a 1,000,000-job queue takes as long as on a 1,000-job queue', async () => {
    expect(redis.cli(['LLEN', 'rq:queue:big'], 1)).toBe('1000000');
    await timePolls(1, 20); // warm up
    const big = await timePolls(1, 200);
    const small = await timePolls(2, 200);
    console.log(`rq poll on loopback: 1M jobs p50 ${big.p50.toFixed(2)} ms p95 ${big.p95.toFixed(2)} ms; 1k jobs p50 ${small.p50.toFixed(2)} ms p95 ${small.p95.toFixed(2)} ms`);
    expect(big.oldest).toBe(Date.parse('2026-12-03T10:00:00Z'));
    expect(big.p95).toBeLessThan(50);
    expect(big.p50).toBeLessThan(small.p50 * 3 + 2);
    // Redis's own view: SORT_RO's time per call on the big list stays in microseconds.
    const stat = /cmdstat_sort_ro:calls=(\d+),usec=(\d+)/.exec(redis.cli(['INFO', 'commandstats']))!;
    console.log(`SORT_RO: ${stat[1]} calls, ${(Number(stat[2]) / Number(stat[1])).toFixed(1)} µs per call on average`);
    expect(Number(stat[2]) / Number(stat[1])).toBeLessThan(200);
  });
});
