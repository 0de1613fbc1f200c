import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { cliAt, freePort, startSentinelSet, waitFor, type PrivateSentinelSet } from '../../support/redisServer.js';
import { countsOf, sessionOn, writeRqLayout } from './redisHarness.js';

/**
 * Sentinel against private servers: a master, a replica and three sentinels (all with passwords,
 * the master's and the sentinels' different), an RQ layout in database 2, and a failover during
 * monitoring.
 */
describe('Redis through Sentinel', () => {
  let set: PrivateSentinelSet;
  const masterPw = 'master-secret';
  const sentinelPw = 'sentinel-secret';
  const hosts = () => set.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',');
  const url = (over: { master?: string; name?: string; sentinelPw?: string; hostList?: string } = {}) =>
    `redis+sentinel://:${over.master ?? masterPw}@${over.hostList ?? hosts()}/${over.name ?? 'mymaster'}/2?sentinel_password=${over.sentinelPw ?? sentinelPw}`;
  const spec = { default: { waiting: 3, scheduled: 1, failed: 2, running: 1 }, emails: { waiting: 5, scheduled: 0, failed: 0, running: 0 } };

  beforeAll(async () => {
    set = await startSentinelSet({ masterPassword: masterPw, sentinelPassword: sentinelPw });
    writeRqLayout((args) => cliAt(set.master.port, ['-n', '2', ...args], masterPw), spec, Math.floor(Date.now() / 1000));
    await waitFor('the replica to hold the layout', () => cliAt(set.replica.port, ['-n', '2', 'LLEN', 'rq:queue:emails'], masterPw) === '5');
  }, 60_000);
  afterAll(async () => {
    await set?.stop();
  });

  const errorOf = async (u: string) => {
    const target = parseRedisUrl(u);
    const pool = new IoRedisPool({ target, label: `${target.host}:${target.port}`, connectTimeoutMs: 2000 });
    try {
      await pool.reader(2).batch([{ cmd: 'PING', args: [] }]);
      return null;
    } catch (error) {
      return error;
    } finally {
      await pool.close();
    }
  };

  it('reads the master the sentinels name, in the URL\'s database (redis+sentinel:// and Kombu\'s sentinel://)', async () => {
    for (const u of [url(), `sentinel://:${masterPw}@127.0.0.1:${set.sentinelPorts[0]}/2;sentinel://127.0.0.1:${set.sentinelPorts[1]}?master_name=mymaster&sentinel_password=${sentinelPw}`]) {
      const pool = new IoRedisPool({ target: parseRedisUrl(u), label: 'x' });
      try {
        const [llen, info] = await pool.reader(2).batch([{ cmd: 'LLEN', args: ['rq:queue:default'] }, { cmd: 'INFO', args: ['server'] }]);
        expect(llen).toBe(3);
        expect(String(info)).toMatch(new RegExp(`tcp_port:${set.master.port}\\r`));
      } finally {
        await pool.close();
      }
    }
  });

  it('says which part failed: sentinel password, master name, master password, no sentinel', async () => {
    const where = `via sentinels ${set.sentinelPorts.map((p) => `127.0.0.1:${p}`).join(', ')}`;
    expect(await errorOf(url({ sentinelPw: 'wrong' }))).toMatchObject({
      code: 'AUTH_FAILED', detail: expect.stringContaining(`master "mymaster" ${where}: sentinel 127.0.0.1:${set.sentinelPorts[0]} refused the sentinel password`),
    });
    expect(await errorOf(url({ name: 'nosuchmaster' }))).toMatchObject({
      code: 'TARGET_UNREACHABLE', detail: expect.stringContaining('monitor no master named "nosuchmaster" (check the master name)'),
    });
    expect(await errorOf(url({ master: 'wrong' }))).toMatchObject({
      code: 'AUTH_FAILED', detail: `master "mymaster" ${where} refused the username or password`,
    });
    const dead = await freePort();
    expect(await errorOf(url({ hostList: `127.0.0.1:${dead}` }))).toMatchObject({
      code: 'TARGET_UNREACHABLE', detail: `master "mymaster" via sentinel 127.0.0.1:${dead}: no sentinel answered (sentinel 127.0.0.1:${dead} refused the connection (is Redis running there?))`,
    });
  });

  it('follows a failover while monitoring: polls keep working without restart, on the new master', async () => {
    const { pool, session } = sessionOn(url());
    try {
      const first = await session.poll();
      expect(first.status).toBe('ok');
      expect(countsOf(first)).toEqual(spec);
      expect(first.broker).toMatchObject({ kind: 'redis', nodes: 1 });

      const oldMaster = set.master.port;
      cliAt(set.sentinelPorts[0]!, ['SENTINEL', 'FAILOVER', 'mymaster'], sentinelPw);
      const statuses: string[] = [];
      await waitFor('the sentinels to name the replica as master', () => set.currentMasterPort() === set.replica.port);
      // A job enqueued on the new master after the failover: only a poll of the new master sees it.
      await waitFor('the new master to accept writes', () => {
        try {
          return cliAt(set.replica.port, ['-n', '2', 'INFO', 'replication'], masterPw).includes('role:master');
        } catch {
          return false;
        }
      });
      cliAt(set.replica.port, ['-n', '2', 'HSET', 'rq:job:late', 'status', 'queued', 'enqueued_at', '2024-05-01T10:00:09.000000Z'], masterPw);
      cliAt(set.replica.port, ['-n', '2', 'RPUSH', 'rq:queue:emails', 'late'], masterPw);
      let view = await session.poll();
      const deadline = Date.now() + 20_000;
      while (view.queues.find((q) => q.queue === 'emails')?.waiting !== 6 && Date.now() < deadline) {
        statuses.push(view.status);
        await new Promise((r) => setTimeout(r, 250));
        view = await session.poll();
      }
      expect(view.status).toBe('ok');
      expect(countsOf(view)).toEqual({ ...spec, emails: { ...spec.emails, waiting: 6 } });
      const [info] = await pool.reader(2).batch([{ cmd: 'INFO', args: ['server'] }]);
      expect(String(info)).toMatch(new RegExp(`tcp_port:${set.replica.port}\\r`));
      expect(set.replica.port).not.toBe(oldMaster);
      // The same pool and session throughout: no restart, at most a poll or two lost in the switch.
      expect(statuses.filter((s) => s !== 'ok').length).toBeLessThanOrEqual(3);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
