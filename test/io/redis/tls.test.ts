import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { freePort, type PrivateRedis } from '../../support/redisServer.js';
import { makeTestCa, startFakeServer, startTlsRedis, type TestCa } from './tlsHarness.js';

/** rediss:// against a private redis-server with a TLS port and a CA made for the test by openssl. */
describe('Redis over TLS', () => {
  let ca: TestCa;
  let redis: PrivateRedis;
  let tlsPort: number;
  beforeAll(async () => {
    ca = makeTestCa();
    ({ redis, tlsPort } = await startTlsRedis(ca));
    redis.cli(['RPUSH', 'q', 'a', 'b']);
  });
  afterAll(async () => {
    await redis.stop();
  });

  const ping = async (url: string, tls?: { caFile?: string; insecure?: boolean }, connectTimeoutMs = 3000) => {
    const target = parseRedisUrl(url);
    const pool = new IoRedisPool({ target, label: `127.0.0.1:${target.port}`, tls, connectTimeoutMs });
    try {
      return await pool.reader(0).batch([{ cmd: 'LLEN', args: ['q'] }]);
    } finally {
      await pool.close();
    }
  };

  it('reads through rediss:// with the CA file', async () => {
    expect(await ping(`rediss://127.0.0.1:${tlsPort}`, { caFile: ca.ca })).toEqual([Number(redis.cli(['LLEN', 'q']))]);
  });

  it('refuses an untrusted certificate, and says how to proceed', async () => {
    await expect(ping(`rediss://127.0.0.1:${tlsPort}`)).rejects.toMatchObject({
      code: 'TLS_REQUIRED',
      detail: `127.0.0.1:${tlsPort}: the server certificate was not trusted (self-signed certificate in certificate chain); give a CA file or insecure mode`,
    });
  });

  it('accepts any certificate only in explicit insecure mode', async () => {
    expect(await ping(`rediss://127.0.0.1:${tlsPort}`, { insecure: true })).toEqual([2]);
  });

  it('a plain connection to the TLS port: TLS expected, use rediss://', async () => {
    await expect(ping(`redis://127.0.0.1:${tlsPort}`)).rejects.toEqual({
      code: 'TLS_REQUIRED',
      detail: `127.0.0.1:${tlsPort} expects TLS (it closed the plain connection and completed a TLS handshake): use rediss://`,
    });
  });

  it('a TLS connection to the plain port: TLS not spoken there, use redis://', async () => {
    await expect(ping(`rediss://127.0.0.1:${redis.port}`, { caFile: ca.ca }, 1000)).rejects.toEqual({
      code: 'TLS_REQUIRED',
      detail: `127.0.0.1:${redis.port} does not speak TLS (it answered a plain connection as Redis does): use redis://`,
    });
  });

  it('a TLS connection to a closed port is refused, not a TLS matter', async () => {
    const closed = await freePort();
    await expect(ping(`rediss://127.0.0.1:${closed}`, { caFile: ca.ca }, 1000)).rejects.toEqual({
      code: 'TARGET_UNREACHABLE', detail: `127.0.0.1:${closed} refused the connection (is Redis running there?)`,
    });
  });

  it('a TLS connection to a server that never answers is a timeout, not a TLS mismatch', async () => {
    const silent = await startFakeServer('silent');
    try {
      await expect(ping(`rediss://127.0.0.1:${silent.port}`, { caFile: ca.ca }, 1000)).rejects.toEqual({
        code: 'TIMEOUT', detail: `127.0.0.1:${silent.port} did not answer within 1 s while connecting`,
      });
    } finally {
      await silent.stop();
    }
  });
});
