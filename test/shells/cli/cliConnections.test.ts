import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type PrivateRedis } from '../../support/redisServer.js';
import { writeRqLayout } from '../../io/redis/redisHarness.js';
import { makeTestCa, startFakeServer, startTlsRedis, type TestCa } from '../../io/redis/tlsHarness.js';

/**
 * Production connections through the built command line (`node bin/task-status.js`, built by
 * `npm run build:cli`): rediss:// with a CA file and in explicit insecure mode (config file),
 * ACL users, and each failure saying which, with exit code 3: TLS expected, TLS not spoken, an
 * untrusted certificate, a wrong password, no password, refused, host not found, a silent server,
 * a port that is not Redis. One private redis-server with a plain and a TLS port and ACL users.
 */
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'task-status.js');
const home = mkdtempSync(join(tmpdir(), 'task-status-home-'));

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: no REDIS_URL and no tray config from the machine running the tests.
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `dashboard --json` on one connection given as a config file entry. */
function configFile(name: string, entry: string): string {
  const file = join(home, `${name}.yaml`);
  writeFileSync(file, `connections:\n  - id: ${name}\n${entry.replace(/^/gm, '    ')}\n`);
  return file;
}

let ca: TestCa;
let redis: PrivateRedis;
let tlsPort: number;
let expected: Record<string, number>;

describe('task-status CLI on production connections', () => {
  beforeAll(async () => {
    ca = makeTestCa();
    ({ redis, tlsPort } = await startTlsRedis(ca, ['--requirepass', 'default-pw']));
    const run = (args: string[]) => redis.cli(['--user', 'default', '--pass', 'default-pw', '--no-auth-warning', ...args]);
    run(['ACL', 'SETUSER', 'alice', 'on', '>alice-pw', '~*', '&*', '+@all']);
    writeRqLayout(run, { emails: { waiting: 4, scheduled: 2, failed: 1, running: 0 } }, Math.floor(Date.now() / 1000));
    expected = {
      waiting: Number(run(['LLEN', 'rq:queue:emails'])), scheduled: Number(run(['ZCARD', 'rq:scheduled:emails'])),
      failed: Number(run(['ZCARD', 'rq:failed:emails'])),
    };
  });
  afterAll(async () => {
    await redis.stop();
  });

  const figures = (run: Run) => {
    const doc = JSON.parse(run.stdout) as { connections: { status: string; queues: { queue: string; waiting: number; scheduled: number; failed: number }[] }[] };
    const q = doc.connections[0]?.queues.find((x) => x.queue === 'emails');
    return { status: doc.connections[0]?.status, counts: q && { waiting: q.waiting, scheduled: q.scheduled, failed: q.failed } };
  };

  it('rediss:// with the CA file from the config reads the queues exactly, exit 0', async () => {
    const file = configFile('tls-ca', `url: rediss://:default-pw@127.0.0.1:${tlsPort}/0\ntls:\n  caFile: ${ca.ca}`);
    const run = await cli(['dashboard', '--json', '--window', '0', '--config', file]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(figures(run)).toEqual({ status: 'ok', counts: expected });
  });

  it('rediss:// in explicit insecure mode reads them too, exit 0', async () => {
    const file = configFile('tls-insecure', `url: rediss://:default-pw@127.0.0.1:${tlsPort}/0\ntls:\n  insecure: true`);
    const run = await cli(['dashboard', '--json', '--window', '0', '--config', file]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(figures(run)).toEqual({ status: 'ok', counts: expected });
  });

  it('an ACL user (user:password@) reads them exactly, exit 0', async () => {
    const run = await cli(['dashboard', '--json', '--window', '0', '--redis', `redis://alice:alice-pw@127.0.0.1:${redis.port}/0`]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(figures(run)).toEqual({ status: 'ok', counts: expected });
  });

  it('each failure says which, exit 3', async () => {
    const silent = await startFakeServer('silent');
    const http = await startFakeServer('http');
    const closed = await freePort();
    try {
      const cases: [string[], string][] = [
        [['--redis', `rediss://:default-pw@127.0.0.1:${tlsPort}/0`],
          `127.0.0.1:${tlsPort}/0: TLS problem: 127.0.0.1:${tlsPort}: the server certificate was not trusted (self-signed certificate in certificate chain); give a CA file or insecure mode`],
        [['--redis', `redis://:default-pw@127.0.0.1:${tlsPort}/0`],
          `127.0.0.1:${tlsPort}/0: TLS problem: 127.0.0.1:${tlsPort} expects TLS (it closed the plain connection and completed a TLS handshake): use rediss://`],
        [['--config', configFile('tls-on-plain', `url: rediss://:default-pw@127.0.0.1:${redis.port}/0\ntls:\n  caFile: ${ca.ca}`)],
          `tls-on-plain: TLS problem: 127.0.0.1:${redis.port} does not speak TLS (it answered a plain connection as Redis does): use redis://`],
        [['--redis', `redis://alice:not-her-pw@127.0.0.1:${redis.port}/0`],
          `127.0.0.1:${redis.port}/0: authentication failed: 127.0.0.1:${redis.port} refused user "alice" with that password (wrong password, no such user, or the user is off)`],
        [['--redis', `redis://:not-the-pw@127.0.0.1:${redis.port}/0`],
          `127.0.0.1:${redis.port}/0: authentication failed: 127.0.0.1:${redis.port} refused the username or password`],
        [['--redis', `redis://127.0.0.1:${redis.port}/0`],
          `127.0.0.1:${redis.port}/0: authentication failed: 127.0.0.1:${redis.port} requires a password and none was given`],
        [['--redis', `redis://127.0.0.1:${closed}/0`],
          `127.0.0.1:${closed}/0: unreachable: 127.0.0.1:${closed} refused the connection (is Redis running there?)`],
        [['--redis', 'redis://no-such-host.invalid:6379/0'],
          'no-such-host.invalid:6379/0: unreachable: no-such-host.invalid:6379: host not found'],
        [['--redis', `redis://127.0.0.1:${silent.port}/0`],
          `127.0.0.1:${silent.port}/0: timed out: 127.0.0.1:${silent.port} did not answer within 5 s while connecting`],
        [['--redis', `redis://127.0.0.1:${http.port}/0`],
          `127.0.0.1:${http.port}/0: unreachable: 127.0.0.1:${http.port} answered, but not as a Redis server does (is it the Redis port?)`],
      ];
      const runs = await Promise.all(cases.map(([args]) => cli(['dashboard', '--window', '0', ...args])));
      expect(runs.map((r) => [r.code, r.stderr])).toEqual(cases.map(([, message]) => [3, `task-status: ${message}\n`]));
      for (const r of runs) expect(r.stdout + r.stderr).not.toMatch(/not-her-pw|not-the-pw|default-pw/);
    } finally {
      await silent.stop();
      await http.stop();
    }
  });

  it('--json gives the error code with the same words', async () => {
    const run = await cli(['dashboard', '--json', '--window', '0', '--redis', `redis://:default-pw@127.0.0.1:${tlsPort}/0`]);
    expect(run.code).toBe(3);
    const doc = JSON.parse(run.stdout) as { connections: { status: string; statusReason: unknown }[] };
    expect(doc.connections[0]).toMatchObject({
      status: 'unreachable',
      statusReason: { code: 'TLS_REQUIRED', detail: `127.0.0.1:${tlsPort} expects TLS (it closed the plain connection and completed a TLS handshake): use rediss://` },
    });
  });
});
