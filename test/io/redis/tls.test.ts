import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';

/** rediss:// against a private TLS-only redis-server with a CA made for the test by openssl. */
const dir = mkdtempSync(join(tmpdir(), 'task-status-tls-'));
const ca = join(dir, 'ca.crt');

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

describe('Redis over TLS', () => {
  let redis: PrivateRedis;
  let tlsPort: number;
  beforeAll(async () => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=task-status test CA']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf']);
    tlsPort = await freePort();
    redis = await startRedis(['--tls-port', String(tlsPort), '--tls-cert-file', join(dir, 'server.crt'), '--tls-key-file', join(dir, 'server.key'),
      '--tls-ca-cert-file', ca, '--tls-auth-clients', 'no']);
    redis.cli(['RPUSH', 'q', 'a', 'b']);
  });
  afterAll(async () => {
    await redis.stop();
  });

  const ping = async (url: string, tls?: { caFile?: string; insecure?: boolean }) => {
    const pool = new IoRedisPool({ target: parseRedisUrl(url), label: `127.0.0.1:${tlsPort}`, tls, connectTimeoutMs: 3000 });
    try {
      return await pool.reader(0).batch([{ cmd: 'LLEN', args: ['q'] }]);
    } finally {
      await pool.close();
    }
  };

  it('reads through rediss:// with the CA file', async () => {
    expect(await ping(`rediss://127.0.0.1:${tlsPort}`, { caFile: ca })).toEqual([2]);
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

  it('a plain connection to the TLS port suggests rediss://', async () => {
    await expect(ping(`redis://127.0.0.1:${tlsPort}`)).rejects.toMatchObject({
      code: 'TARGET_UNREACHABLE',
      detail: `127.0.0.1:${tlsPort} closed the connection while connecting (if it expects TLS, use rediss://)`,
    });
  });
});
