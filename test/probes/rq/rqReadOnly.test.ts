import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';
import { listFixtures, loadFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/**
 * The read-only promise, checked on the server: after a reset of INFO commandstats, everything
 * the probe does (detect, discover, poll, sample, getTask) reaches Redis only as commands that
 * Redis itself does not flag `write`, and a poll is one round trip.
 */
let redis: PrivateRedis;
let pool: IoRedisPool;

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
  for (const [db, fixture] of listFixtures('rq').entries()) await loadFixture(redis.url(), fixture, db);
});

afterAll(async () => {
  await pool?.close();
  await redis?.stop();
});

/** cmdstat names and call counts from INFO commandstats (`client|list` for subcommands). */
function commandStats(): Map<string, number> {
  const stats = new Map<string, number>();
  for (const line of redis.cli(['INFO', 'commandstats']).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) stats.set(m[1]!, Number(m[2]));
  }
  return stats;
}

describe('rq probe is read-only on the server', () => {
  it('only commands Redis does not flag as writes, one round trip per poll', async () => {
    const fixtures = listFixtures('rq');
    await pool.reader(0).batch([{ cmd: 'PING', args: [] }]); // connect (and name the connection) first
    for (let db = 0; db < fixtures.length; db += 1) await pool.reader(db).batch([{ cmd: 'PING', args: [] }]);
    const jobIds = fixtures.map((_, db) => redis.cli(['--scan', '--pattern', 'rq:job:*'], db).split('\n')
      .filter((k) => k.split(':').length === 3).map((k) => k.slice('rq:job:'.length)));
    redis.cli(['CONFIG', 'RESETSTAT']);
    for (const [db, fixture] of fixtures.entries()) {
      const ctx = { connectionId: 'test', redis: pool.reader(db), now: fixture.recordedAt, rateWindowMs: 600_000, config: {} };
      const [ns] = await rqProbe.detect(ctx);
      const discovery = await rqProbe.discover(ctx, ns!);
      const before = pool.traffic.roundTrips;
      await rqProbe.poll(ctx, ns!, discovery, null, null);
      expect(pool.traffic.roundTrips - before).toBe(1);
      await rqProbe.sample!(ctx, ns!, discovery);
      for (const id of jobIds[db]!) await rqProbe.getTask!(ctx, ns!, id, null);
    }
    const stats = commandStats();
    stats.delete('config|resetstat');
    stats.delete('info');
    // redis-cli -n <db> selects before INFO; the probe's connections select at connect, before the reset.
    stats.delete('select');
    const names = [...stats.keys()].sort();
    expect(names).toEqual(['client|list', 'exists', 'hgetall', 'hmget', 'llen', 'scard', 'smembers', 'sort_ro', 'xrevrange', 'zcount', 'zcard', 'zrange', 'zrevrangebyscore'].sort());
    expect(redis.cli(['COMMAND', 'INFO', 'set'])).toMatch(/^write$/m); // the check below can fail
    for (const name of names) {
      const info = redis.cli(['COMMAND', 'INFO', name]);
      expect(info.split('\n')[0], name).toBe(name);
      expect(info, name).not.toMatch(/^write$/m);
    }
  });
});
