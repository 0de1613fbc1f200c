import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { rqProbe, type RqDiscovery } from '../../../src-main/probes/rq/rqProbe.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/**
 * Cost independent of queue length: a queue of 1,000,000 job ids (db 1) and one of 1,000
 * (db 2), filled by pipeline in RQ's layout with minimal job hashes. A poll must send the same
 * commands in one round trip on both: SORT_RO … BY nosort LIMIT 0 1
 * reads only the head (times are measured by `npm run bench`, not asserted here).
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

/** `rounds` polls; what they cost as Redis and the pool count it. */
async function costOfPolls(db: number, rounds: number): Promise<{ commands: number; roundTrips: number; sortCalls: number; oldest: unknown }> {
  const ctx = { connectionId: 'cost', redis: pool.reader(db), now: Date.now(), rateWindowMs: 600_000, config: {} };
  const ns = { framework: 'rq' as const, db, prefix: '', source: 'cost' };
  const discovery: RqDiscovery = await rqProbe.discover(ctx, ns);
  redis.cli(['CONFIG', 'RESETSTAT']);
  const before = { ...pool.traffic };
  let oldest: unknown;
  for (let i = 0; i < rounds; i += 1) {
    const reading = await rqProbe.poll(ctx, ns, discovery, null, null);
    oldest = reading.queues[0]!.oldestWaitingAt;
  }
  const stat = /cmdstat_sort_ro:calls=(\d+)/.exec(redis.cli(['INFO', 'commandstats']));
  const sortCalls = Number(stat?.[1] ?? 0);
  return { commands: pool.traffic.commands - before.commands, roundTrips: pool.traffic.roundTrips - before.roundTrips, sortCalls, oldest };
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
  it('a poll on a 1,000,000-job queue costs what it costs on a 1,000-job queue', async () => {
    expect(redis.cli(['LLEN', 'rq:queue:big'], 1)).toBe('1000000');
    expect(redis.cli(['LLEN', 'rq:queue:big'], 2)).toBe('1000');
    const big = await costOfPolls(1, 20);
    const small = await costOfPolls(2, 20);
    expect(big.oldest).toBe(Date.parse('2026-12-03T10:00:00Z'));
    expect(small.oldest).toBe(Date.parse('2026-12-03T10:00:00Z'));
    // One round trip per poll, the same commands on both lengths, one SORT_RO (the head) each.
    expect(big).toEqual({ commands: small.commands, roundTrips: 20, sortCalls: 20, oldest: big.oldest });
    expect(small.roundTrips).toBe(20);
  });
});
