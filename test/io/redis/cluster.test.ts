import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { keySlot, planClusterCommand } from '../../../src-main/io/redis/clusterRouting.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { cliAt, startCluster, type PrivateCluster } from '../../support/redisServer.js';
import { countsOf, redisBroker, sessionOn, writeRqLayout, type RqLayoutSpec } from './redisHarness.js';

/**
 * A private 3-master Redis Cluster holding an RQ layout written with RQ's own raw commands (RQ has
 * no cluster support, so no RQ worker can write it), its keys spread over every master.
 */
describe('Redis Cluster', () => {
  let cluster: PrivateCluster;
  const spec: RqLayoutSpec = {
    default: { waiting: 3, scheduled: 1, failed: 2, running: 1 },
    emails: { waiting: 5, scheduled: 2, failed: 0, running: 0 },
    high: { waiting: 1, scheduled: 0, failed: 1, running: 2 },
    reports: { waiting: 0, scheduled: 0, failed: 4, running: 0 },
    low: { waiting: 7, scheduled: 3, failed: 0, running: 1 },
  };
  const errorstats = () => cluster.nodes.map((n) => cliAt(n.port, ['INFO', 'errorstats'])).join('\n');
  const commandstats = () => cluster.nodes.map((n) => cliAt(n.port, ['INFO', 'commandstats'])).join('\n');

  beforeAll(async () => {
    cluster = await startCluster(3);
    writeRqLayout((args) => cluster.cli(args), spec, Math.floor(Date.now() / 1000));
    for (const n of cluster.nodes) cliAt(n.port, ['CONFIG', 'RESETSTAT']);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('hashes keys to the slots the cluster itself computes (hash tags included)', () => {
    for (const key of ['rq:queues', 'rq:queue:default', 'bull:{emails}:wait', '{user1000}.following', 'a{}b', '{}x{y}', 'ø-ünïcode']) {
      expect(keySlot(key)).toBe(Number(cliAt(cluster.nodes[0]!.port, ['CLUSTER', 'KEYSLOT', key])));
    }
  });

  it('the layout is spread over all three masters', () => {
    const owners = new Set(Object.keys(spec).flatMap((q) => [`rq:queue:${q}`, `rq:failed:${q}`, `rq:wip:${q}`]).map((k) => cluster.ownerOf(k)));
    expect(owners.size).toBe(3);
  });

  it('a redis:// URL to one node is detected as a cluster; every figure exact, one round trip per master, never a cross-slot command', async () => {
    // Independently, with redis-cli -c (follows MOVED) against the cluster.
    const nowS = Math.floor(Date.now() / 1000);
    const independent = Object.fromEntries(Object.keys(spec).map((q) => [q, {
      waiting: Number(cluster.cli(['LLEN', `rq:queue:${q}`])),
      scheduled: Number(cluster.cli(['ZCARD', `rq:scheduled:${q}`])),
      failed: Number(cluster.cli(['ZCOUNT', `rq:failed:${q}`, `(${nowS}`, '+inf'])),
      running: Number(cluster.cli(['ZCOUNT', `rq:wip:${q}`, `(${nowS}`, '+inf'])),
    }]));
    expect(independent).toEqual(spec);
    for (const n of cluster.nodes) cliAt(n.port, ['CONFIG', 'RESETSTAT']);
    const { pool, session } = sessionOn(cluster.url());
    try {
      const view = await session.poll();
      expect(pool.topology).toBe('cluster');
      expect(view.status).toBe('ok');
      expect(view.frameworks).toEqual(['rq']);
      expect(countsOf(view)).toEqual(spec);
      expect(view.queues.map((q) => q.queue).sort()).toEqual(Object.keys(spec).sort());
      // The head job's enqueued_at needs SORT_RO … GET rq:job:*->…, a key in another slot: not sent, unknown with the reason.
      for (const q of view.queues.filter((x) => x.waiting! > 0)) {
        expect(q.oldestWaitingAgeMs).toBeNull();
        expect(q.notes.oldestWaitingAgeMs).toContain('CROSSSLOT not sent: SORT_RO rq:queue:');
      }
      expect(view.broker).toMatchObject({ kind: 'redis', nodes: 3, version: cliAt(cluster.nodes[0]!.port, ['INFO', 'server']).match(/redis_version:(\S+)/)![1], maxMemoryBytes: 0 });
      const second = await session.poll();
      expect(countsOf(second)).toEqual(spec);
      // A poll without discovery: its one batch touched every master (CLIENT LIST and INFO go to
      // each), so it is one pipeline per master, sent in parallel, and counted as three round trips.
      expect(second.roundTripsPerPoll).toBe(3);
      expect(redisBroker(second).cpuPercent).not.toBeNull();
      // The servers' own counters: no CROSSSLOT error, no SORT_RO, no MOVED redirection was ever needed.
      expect(errorstats()).not.toMatch(/errorstat_(CROSSSLOT|MOVED|ASK)/);
      expect(commandstats()).not.toMatch(/cmdstat_sort_ro/);
      expect(commandstats()).not.toMatch(/cmdstat_keys/);
    } finally {
      await pool.close();
    }
  });

  it('discovery SCANs every master, and EXISTS / MGET are split per key', async () => {
    const pool = new IoRedisPool({ target: parseRedisUrl(`redis+cluster://127.0.0.1:${cluster.nodes[1]!.port},127.0.0.1:${cluster.nodes[2]!.port}`), label: 'c' });
    try {
      const perNode = cluster.nodes.flatMap((n) => cliAt(n.port, ['--scan', '--pattern', 'rq:queue:*']).split('\n').filter(Boolean));
      expect((await pool.reader(0).scanKeys('rq:queue:*')).sort()).toEqual(perNode.sort());
      expect(perNode).toHaveLength(4); // reports has no waiting job, so no list
      const before = { ...pool.traffic };
      const [exists, mget, llen] = await pool.reader(0).batch([
        { cmd: 'EXISTS', args: ['rq:queues', 'rq:queue:default', 'rq:queue:nope', 'rq:queue:low'] },
        { cmd: 'MGET', args: ['nope1', 'nope2'] },
        { cmd: 'LLEN', args: ['rq:queue:low'] },
      ]);
      expect(exists).toBe(3);
      expect(mget).toEqual([null, null]);
      expect(llen).toBe(7);
      const touched = new Set(['rq:queues', 'rq:queue:default', 'rq:queue:nope', 'rq:queue:low', 'nope1', 'nope2'].map((k) => cluster.ownerOf(k)));
      expect(pool.traffic.roundTrips - before.roundTrips).toBe(touched.size);
      expect(pool.traffic.commands - before.commands).toBe(7);
      expect(errorstats()).not.toMatch(/errorstat_CROSSSLOT/);
    } finally {
      await pool.close();
    }
  });

  it('refuses a cross-slot SORT_RO before it leaves, allows one whose pattern shares the key\'s hash tag', () => {
    expect(planClusterCommand({ cmd: 'SORT_RO', args: ['rq:queue:a', 'BY', 'nosort', 'GET', '#', 'GET', 'rq:job:*->enqueued_at'] })).toHaveProperty('refused');
    expect(planClusterCommand({ cmd: 'SORT_RO', args: ['{q}:wait', 'BY', 'nosort', 'GET', '{q}:job:*->ts'] })).not.toHaveProperty('refused');
    expect(planClusterCommand({ cmd: 'SORT_RO', args: ['{q}:wait', 'BY', '{q}:w_*'] })).not.toHaveProperty('refused');
    expect(planClusterCommand({ cmd: 'SORT_RO', args: ['{q}:wait', 'BY', 'x_*'] })).toHaveProperty('refused');
  });

  it('a cluster has database 0 only', async () => {
    const pool = new IoRedisPool({ target: parseRedisUrl(cluster.url()), label: 'c' });
    try {
      await pool.reader(0).batch([{ cmd: 'PING', args: [] }]);
      await expect(pool.reader(3).batch([{ cmd: 'PING', args: [] }])).rejects.toMatchObject({ code: 'BAD_URL', detail: 'c (cluster) is a Redis Cluster, which has database 0 only (not 3)' });
    } finally {
      await pool.close();
    }
  });
});
