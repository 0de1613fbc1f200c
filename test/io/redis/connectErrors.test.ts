import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { countsOf, sessionOn, writeRqLayout } from './redisHarness.js';
import { startFakeServer } from './tlsHarness.js';

/**
 * Connection errors of production set-ups, each saying which: ACL users (user:password@), a wrong
 * password for a named user, a server that accepts and never answers, a port that is not Redis,
 * a command that gets no answer. A private redis-server with ACL users; fake servers by node:net.
 */
describe('Redis connection errors say which', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedis(['--enable-debug-command', 'local']);
    redis.cli(['ACL', 'SETUSER', 'alice', 'on', '>alice-pw', '~*', '&*', '+@all']);
    redis.cli(['ACL', 'SETUSER', 'carol', 'off', '>carol-pw', '~*', '&*', '+@all']);
    writeRqLayout((args) => redis.cli(args), { default: { waiting: 3, scheduled: 1, failed: 2, running: 0 } }, Math.floor(Date.now() / 1000));
  });
  afterAll(async () => {
    await redis.stop();
  });

  const pingOn = async (url: string, opts: { connectTimeoutMs?: number; commandTimeoutMs?: number } = {}) => {
    const target = parseRedisUrl(url);
    const pool = new IoRedisPool({ target, label: `127.0.0.1:${target.port}`, connectTimeoutMs: opts.connectTimeoutMs ?? 3000, commandTimeoutMs: opts.commandTimeoutMs });
    return pool;
  };

  it('an ACL user (user:password@) reads the queues exactly', async () => {
    const { pool, session } = sessionOn(`redis://alice:alice-pw@127.0.0.1:${redis.port}/0`);
    try {
      const view = await session.poll();
      expect(view.status).toBe('ok');
      expect(countsOf(view)).toEqual({
        default: {
          waiting: Number(redis.cli(['LLEN', 'rq:queue:default'])), scheduled: Number(redis.cli(['ZCARD', 'rq:scheduled:default'])),
          failed: Number(redis.cli(['ZCARD', 'rq:failed:default'])), running: 0,
        },
      });
      // The session's connections are alice's, as the server sees them.
      expect(redis.cli(['CLIENT', 'LIST'])).toMatch(/name=task-status .*user=alice/);
    } finally {
      await pool.close();
    }
  });

  it('a wrong password, an unknown user and a disabled user are refused naming the user', async () => {
    for (const [user, password] of [['alice', 'not-alices-pw'], ['mallory', 'alice-pw'], ['carol', 'carol-pw']] as const) {
      const { pool, session } = sessionOn(`redis://${user}:${password}@127.0.0.1:${redis.port}/0`);
      try {
        const view = await session.poll();
        expect(view.status).toBe('unauthorized');
        expect(view.statusReason).toEqual({
          code: 'AUTH_FAILED', connection: 'prod',
          detail: `127.0.0.1:${redis.port} refused user "${user}" with that password (wrong password, no such user, or the user is off)`,
        });
        expect(JSON.stringify(view)).not.toContain(password);
      } finally {
        await pool.close();
      }
    }
  });

  it('a server that accepts and never answers times out within the connect timeout, and again at the next try', async () => {
    const silent = await startFakeServer('silent');
    const pool = await pingOn(`redis://127.0.0.1:${silent.port}`, { connectTimeoutMs: 1000 });
    try {
      const expected = { code: 'TIMEOUT', detail: `127.0.0.1:${silent.port} did not answer within 1 s while connecting` };
      await expect(pool.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toEqual(expected);
      // The client was dropped at the deadline: the next poll connects afresh and says the same.
      await expect(pool.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toEqual(expected);
    } finally {
      await pool.close();
      await silent.stop();
    }
  });

  it('a port that answers but is not Redis says so', async () => {
    const http = await startFakeServer('http');
    const pool = await pingOn(`redis://127.0.0.1:${http.port}`);
    try {
      await expect(pool.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toEqual({
        code: 'TARGET_UNREACHABLE', detail: `127.0.0.1:${http.port} answered, but not as a Redis server does (is it the Redis port?)`,
      });
    } finally {
      await pool.close();
      await http.stop();
    }
  });

  it('a command the server does not answer in time is a timeout naming the command timeout', async () => {
    const pool = await pingOn(`redis://127.0.0.1:${redis.port}`, { commandTimeoutMs: 300 });
    try {
      expect(await pool.reader(0).batch([{ cmd: 'PING', args: [] }])).toEqual(['PONG']);
      // DEBUG SLEEP blocks the whole server (from another client) for 2 s.
      const sleeper = spawn('redis-cli', ['-p', String(redis.port), 'DEBUG', 'SLEEP', '2'], { stdio: 'ignore' });
      const slept = new Promise((resolve) => sleeper.on('close', resolve));
      await new Promise((r) => setTimeout(r, 300));
      await expect(pool.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toEqual({
        code: 'TIMEOUT', detail: `127.0.0.1:${redis.port} did not answer a command within 0.3 s`,
      });
      await slept;
    } finally {
      await pool.close();
    }
  });
});
