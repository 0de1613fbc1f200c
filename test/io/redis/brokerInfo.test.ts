import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfoNodes, redisBrokerFigures } from '../../../src-main/io/redis/brokerInfo.js';
import { renderRedisBroker } from '../../../src-main/shells/cli/render/dashboardText.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { countsOf, redisBroker, sessionOn, writeRqLayout } from './redisHarness.js';

/**
 * Broker figures (Redis INFO) and ACL users lacking INFO or CLIENT, on a private server with a
 * memory limit small enough to evict.
 */
describe('Redis broker figures and ACL users', () => {
  let redis: PrivateRedis;
  const spec = { default: { waiting: 2, scheduled: 1, failed: 1, running: 0 } };
  const info = () => redis.cli(['INFO']).replace(/\n/g, '\r\n');
  const field = (text: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim();

  beforeAll(async () => {
    redis = await startRedis(['--maxmemory', '20mb', '--maxmemory-policy', 'volatile-lru']);
    redis.cli(['ACL', 'SETUSER', 'noinfo', 'on', '>pw', '~*', '&*', '+@all', '-info']);
    redis.cli(['ACL', 'SETUSER', 'noclient', 'on', '>pw', '~*', '&*', '+@all', '-client']);
    writeRqLayout((args) => redis.cli(args), spec, Math.floor(Date.now() / 1000));
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('reads INFO once per poll inside the poll\'s batch: figures equal INFO read independently', async () => {
    const { pool, session } = sessionOn(redis.url(0));
    try {
      await session.poll(); // discovery happens here
      const first = await session.poll();
      expect(first.roundTripsPerPoll).toBe(1); // RQ's one batch carried INFO too
      const independent1 = info();
      const b1 = redisBroker(first);
      expect(b1).toMatchObject({
        kind: 'redis', nodes: 1, version: field(independent1, 'redis_version'), maxMemoryBytes: 20 * 1024 * 1024,
        maxMemoryPolicy: 'volatile-lru', evictedKeys: Number(field(independent1, 'evicted_keys')),
        // redis-cli's own connection is the one more.
        connectedClients: Number(field(independent1, 'connected_clients')) - 1,
      });
      expect(b1.uptimeSeconds! - Number(field(independent1, 'uptime_in_seconds'))).toBeLessThanOrEqual(0);
      expect(Math.abs(b1.usedMemoryBytes! - Number(field(independent1, 'used_memory'))) / b1.usedMemoryBytes!).toBeLessThan(0.05);

      // Fill past maxmemory: the server evicts, and the next poll says how many since this one.
      for (let i = 0; i < 30; i++) {
        redis.cli(['SETRANGE', `filler:${i}`, String(1024 * 1024 - 1), 'x'], 5);
        redis.cli(['EXPIRE', `filler:${i}`, '3600'], 5); // volatile-lru evicts only these, never the RQ keys
      }
      const evictedBetween = Number(field(info(), 'evicted_keys')) - Number(field(independent1, 'evicted_keys'));
      expect(evictedBetween).toBeGreaterThan(0);
      const second = await session.poll();
      const independent2 = info();
      expect(redisBroker(second).evictedKeys).toBe(Number(field(independent2, 'evicted_keys')));
      expect(redisBroker(second).evictedKeysDelta).toBe(evictedBetween);
      expect(redisBroker(second).cpuPercent).toBeGreaterThanOrEqual(0);
      expect(redisBroker(second).notes).toEqual({});
      expect(countsOf(second)).toEqual(spec);
      // The dashboard header's broker line.
      const line = renderRedisBroker(redisBroker(second)).replace(/\u001b\[[0-9;]*m/g, '');
      expect(line).toContain(`redis ${field(independent2, 'redis_version')} · memory `);
      expect(line).toContain(' of 20.0 MB (volatile-lru) · ');
      expect(line).toContain(` · evicted ${redisBroker(second).evictedKeys} (+${evictedBetween} since last poll) · up `);
    } finally {
      await pool.close();
    }
  });

  it('CPU % is the server\'s CPU seconds over its own clock between two INFO replies; null on the first, with a note', () => {
    const a = info();
    let spin = 0;
    for (let i = 0; i < 100; i++) spin += redis.cli(['SCAN', '0', 'COUNT', '1000'], 5).length;
    const b = info();
    expect(spin).toBeGreaterThan(0);
    const first = redisBrokerFigures(a, 1, null, 'x');
    expect(first.figures.cpuPercent).toBeNull();
    expect(first.figures.notes.cpuPercent).toBe('a rate needs two polls: this is the first');
    expect(first.figures.evictedKeysDelta).toBeNull();
    const second = redisBrokerFigures(b, 2, first.memo, 'x');
    const cpu = (t: string) => Number(field(t, 'used_cpu_sys')) + Number(field(t, 'used_cpu_user'));
    const expected = ((cpu(b) - cpu(a)) / ((Number(field(b, 'server_time_usec')) - Number(field(a, 'server_time_usec'))) / 1e6)) * 100;
    expect(second.figures.cpuPercent).toBe(Math.round(expected * 100) / 100);
    expect(second.figures.memFragmentationRatio).toBe(Number(field(b, 'mem_fragmentation_ratio')));
    expect(second.figures.opsPerSec).toBe(Number(field(b, 'instantaneous_ops_per_sec')));
    expect(parseInfoNodes(b)).toHaveLength(1);
    // A restart (another run_id) is not a negative rate.
    const restarted = redisBrokerFigures(b.replace(/run_id:\w+/, 'run_id:other'), 3, second.memo, 'x');
    expect(restarted.figures.cpuPercent).toBeNull();
    expect(restarted.figures.notes.cpuPercent).toBe('the server restarted since the previous poll');
  });

  it('a user without INFO: queues still read, broker figures null with the reason naming INFO, connection degraded', async () => {
    const { pool, session } = sessionOn(`redis://noinfo:pw@127.0.0.1:${redis.port}`);
    try {
      const view = await session.poll();
      expect(view.status).toBe('degraded');
      expect(view.statusReason?.code).toBe('PERMISSION_DENIED');
      expect(view.statusReason?.detail).toContain('the user may not run INFO');
      expect(view.statusReason?.detail).toContain('only database 0 is read');
      expect(countsOf(view).default).toEqual({
        waiting: Number(redis.cli(['LLEN', 'rq:queue:default'])), scheduled: Number(redis.cli(['ZCARD', 'rq:scheduled:default'])),
        failed: Number(redis.cli(['ZCARD', 'rq:failed:default'])), running: 0,
      });
      expect(view.broker).toMatchObject({ kind: 'redis', usedMemoryBytes: null, cpuPercent: null, connectedClients: null, evictedKeys: null });
      expect(redisBroker(view).notes.usedMemoryBytes).toMatch(/^INFO could not be read: prod: the user may not run INFO \(NOPERM/);
    } finally {
      await pool.close();
    }
  });

  it('a user without CLIENT: counts exact, degraded naming CLIENT, broker figures read', async () => {
    const { pool, session } = sessionOn(`redis://noclient:pw@127.0.0.1:${redis.port}`);
    try {
      const view = await session.poll();
      expect(view.status).toBe('degraded');
      expect(view.statusReason?.detail).toContain('CLIENT');
      expect(redisBroker(view).usedMemoryBytes).toBeGreaterThan(0);
      expect(view.queues.find((q) => q.queue === 'default')?.waiting).toBe(Number(redis.cli(['LLEN', 'rq:queue:default'])));
    } finally {
      await pool.close();
    }
  });
});
