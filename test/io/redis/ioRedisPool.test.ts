import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

describe('IoRedisPool', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  beforeAll(async () => {
    redis = await startRedis();
    redis.cli(['RPUSH', 'q', 'a', 'b', 'c'], 3);
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: `127.0.0.1:${redis.port}` });
  });
  afterAll(async () => {
    await pool.close();
    await redis.stop();
  });

  it('sends a batch as one round trip on the database it is bound to', async () => {
    const before = { ...pool.traffic };
    const replies = await pool.reader(3).batch([
      { cmd: 'LLEN', args: ['q'] },
      { cmd: 'LRANGE', args: ['q', 0, -1], binary: true },
      { cmd: 'LLEN', args: ['missing'] },
    ]);
    expect(replies[0]).toBe(3);
    expect((replies[1] as Buffer[]).map((b) => b.toString())).toEqual(['a', 'b', 'c']);
    expect(replies[2]).toBe(0);
    expect(pool.traffic.roundTrips - before.roundTrips).toBe(1);
    expect(pool.traffic.commands - before.commands).toBe(3);
  });

  it('refuses a write before it leaves the process', async () => {
    await expect(pool.reader(3).batch([{ cmd: 'DEL', args: ['q'] }])).rejects.toThrow(/refused to send DEL/);
    await expect(pool.reader(3).batch([{ cmd: 'CLIENT', args: ['KILL', 'x'] }])).rejects.toThrow(/refused/);
    expect(redis.cli(['LLEN', 'q'], 3)).toBe('3');
  });

  it('gives an item-level error for a key of the wrong type', async () => {
    const replies = await pool.reader(3).batch([{ cmd: 'ZCARD', args: ['q'] }, { cmd: 'LLEN', args: ['q'] }]);
    expect(replies[0]).toBeInstanceOf(Error);
    expect(replies[1]).toBe(3);
  });

  it('scans keys without KEYS', async () => {
    expect(await pool.reader(3).scanKeys('q*')).toEqual(['q']);
  });

  it('never reads database 0 under the name of a database the server does not have', async () => {
    const label = `127.0.0.1:${redis.port}`;
    await expect(pool.reader(16).batch([{ cmd: 'LLEN', args: ['q'] }])).rejects.toMatchObject({
      code: 'BAD_URL', detail: `${label} has no database 16 (ERR DB index is out of range)`,
    });
    await expect(pool.reader(16).scanKeys('*')).rejects.toMatchObject({ code: 'BAD_URL' });
  });

  it('says AUTH_FAILED for a wrong password and TARGET_UNREACHABLE for a closed port', async () => {
    const locked = await startRedis(['--requirepass', 'right']);
    const wrong = new IoRedisPool({ target: parseRedisUrl(`redis://:wrong@127.0.0.1:${locked.port}`), label: 'locked' });
    await expect(wrong.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const none = new IoRedisPool({ target: parseRedisUrl(`redis://:x@127.0.0.1:${locked.port}`), label: 'locked' });
    await expect(none.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await wrong.close();
    await none.close();
    await locked.stop();
    const gone = new IoRedisPool({ target: parseRedisUrl(`redis://127.0.0.1:${locked.port}`), label: 'gone' });
    await expect(gone.reader(0).batch([{ cmd: 'PING', args: [] }])).rejects.toMatchObject({ code: 'TARGET_UNREACHABLE' });
    await gone.close();
  });
});
