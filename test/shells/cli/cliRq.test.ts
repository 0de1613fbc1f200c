import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../../support/rqWorkers.js';

/**
 * The command line end to end, as a user runs it (`node bin/task-status.js`, built by `npm test`),
 * against a private redis-server where real RQ 1.13 workers ran real jobs. Figures are compared
 * with what the test reads itself with redis-cli, and with RQ's own API afterwards.
 */
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'task-status.js');

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: no REDIS_URL and no tray config from the machine running the tests.
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const home = mkdtempSync(join(tmpdir(), 'task-status-home-'));
let redis: PrivateRedis;
let ids: string[];

describe('task-status CLI on real RQ workers', () => {
  beforeAll(async () => {
    redis = await startRedis();
    // db 3: a backlog nobody consumes, and a default queue a worker ran: 1 success, 1 failure,
    // a scheduled job and a job still running.
    ids = rqTool<string[]>(redis, 3, 'enqueue', [
      { queue: 'backlog', func: 'add', args: [1, 2] },
      { queue: 'backlog', func: 'add', args: [3, 4] },
      { queue: 'backlog', func: 'add', args: [5, 6] },
      { queue: 'default', func: 'add', args: [2, 3] },
      { queue: 'default', func: 'fail', args: ['boom'] },
      { queue: 'default', func: 'add', args: [7, 8], enqueue_in: 3600 },
      { queue: 'default', func: 'sleep_for', args: [120] },
    ]);
    // db 5: a second database, found when the URL names none.
    rqTool(redis, 5, 'enqueue', [{ queue: 'other', func: 'add', args: [1, 1] }]);
    await startRqWorker(redis, { db: 3, queues: ['default'], name: 'cli-w1' });
    await waitFor(() => redis.cli(['ZCARD', 'rq:wip:default'], 3) === '1' && redis.cli(['ZCARD', 'rq:failed:default'], 3) === '1'
      && redis.cli(['ZCARD', 'rq:finished:default'], 3) === '1', 'the worker to finish two jobs and start the third');
  });
  afterAll(async () => {
    await destroyAllRqWorkers();
    await redis.stop();
  });

  it('queue --json prints the contract with the figures Redis holds', async () => {
    const run = await cli(['queue', '--name', 'default', '--json', '--window', '0', '--redis', redis.url(3)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { queues } = JSON.parse(run.stdout) as { queues: Record<string, unknown>[] };
    expect(queues).toHaveLength(1);
    expect(queues[0]).toMatchObject({
      connection: `127.0.0.1:${redis.port}/3`, framework: 'rq', queue: 'default', namespace: 'db3',
      waiting: Number(redis.cli(['LLEN', 'rq:queue:default'], 3)),
      scheduled: Number(redis.cli(['ZCARD', 'rq:scheduled:default'], 3)),
      running: 1, failed: 1, reserved: null, dead: null, retrying: null, oldestWaitingAgeMs: 0, successRatio: 0.5,
      workers: { online: 1, busy: 1, offline: 0 },
    });
    const report = rqTool<{ queues: Record<string, Record<string, number>> }>(redis, 3, 'report', ['default']);
    expect(queues[0]).toMatchObject({ waiting: report.queues.default!.waiting, scheduled: report.queues.default!.scheduled,
      running: report.queues.default!.running, failed: report.queues.default!.failed });
  });

  it('dashboard --json on a URL without a database finds every database', async () => {
    const run = await cli(['dashboard', '--json', '--window', '0', '--redis', redis.url()]);
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as { connections: { id: string; url: string; status: string; frameworks: string[]; queues: { queue: string; namespace: string; waiting: number }[]; workers: { name: string; state: string; busy: boolean }[] }[] };
    const [c] = view.connections;
    expect(c).toMatchObject({ id: `127.0.0.1:${redis.port}`, status: 'ok', frameworks: ['rq'] });
    expect(c!.queues.map((q) => [q.namespace, q.queue, q.waiting]).sort()).toEqual([['db3', 'backlog', 3], ['db3', 'default', 0], ['db5', 'other', 1]]);
    expect(c!.workers.map((w) => [w.name, w.state, w.busy])).toEqual([['cli-w1', 'online', true]]);
  });

  it('the oldest waiting age is the age of the head job', async () => {
    const before = Date.now();
    const run = await cli(['queue', '--name', 'backlog', '--json', '--window', '0', '--redis', redis.url(3)]);
    const after = Date.now();
    const [q] = (JSON.parse(run.stdout) as { queues: { oldestWaitingAgeMs: number; takenAt: number }[] }).queues;
    const headId = redis.cli(['LINDEX', 'rq:queue:backlog', '0'], 3);
    const enqueuedAt = Date.parse(redis.cli(['HGET', `rq:job:${headId}`, 'enqueued_at'], 3));
    expect(q!.takenAt).toBeGreaterThanOrEqual(before);
    expect(q!.takenAt).toBeLessThanOrEqual(after);
    expect(q!.oldestWaitingAgeMs).toBe(q!.takenAt - enqueuedAt);
  });

  it('task --json shows a failed job with its error', async () => {
    const run = await cli(['task', '--id', ids[4]!, '--json', '--redis', redis.url(3)]);
    expect(run.code).toBe(0);
    const { task } = JSON.parse(run.stdout) as { task: Record<string, unknown> };
    expect(task).toMatchObject({ id: ids[4], framework: 'rq', queue: 'default', state: 'failed', name: 'rq_jobs.fail', args: ['boom'], kwargs: {}, worker: 'cli-w1' });
    expect((task.error as { type: string }).type).toBe('ValueError');
    expect((task.error as { traceback: string }).traceback).toContain('raise ValueError(message)');
  });

  it('human output marks unknown figures with ? and times with the zone', async () => {
    const run = await cli(['queue', '--name', 'default', '--window', '0', '--redis', redis.url(3)], { TZ: 'Europe/Berlin' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/RESERVED\s+\?\s+\(RQ 1\.13\.0/);
    // Nothing waits in default: its oldest age is "none", not "0 ms".
    expect(run.stdout).toMatch(/\n  WAITING\s+0\n/);
    expect(run.stdout).toMatch(/\n  OLDEST\s+none\n/);
    expect(run.stdout).toMatch(/read \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CET/);
    expect(run.stdout).not.toMatch(/\x1b\[/);
  });

  it('--config reads YAML with the password from an environment variable', async () => {
    const locked = await startRedis(['--requirepass', 's3cret']);
    try {
      const file = join(home, 'task-status.yaml');
      writeFileSync(file, `connections:\n  - id: locked\n    url: redis://127.0.0.1:${locked.port}/0\n    passwordEnv: LOCKED_PW\n`);
      const ok = await cli(['dashboard', '--json', '--window', '0', '--config', file], { LOCKED_PW: 's3cret' });
      expect(JSON.parse(ok.stdout).connections[0]).toMatchObject({ id: 'locked', status: 'ok', url: `redis://127.0.0.1:${locked.port}/0` });
      expect(ok.code).toBe(0);
      const wrong = await cli(['dashboard', '--json', '--window', '0', '--config', file], { LOCKED_PW: 'nope' });
      expect(wrong.code).toBe(3);
      expect(JSON.parse(wrong.stdout).connections[0].status).toBe('unauthorized');
      expect(wrong.stderr).toBe(`task-status: locked: authentication failed: 127.0.0.1:${locked.port} refused the username or password\n`);
      expect(wrong.stdout + wrong.stderr).not.toContain('nope');
    } finally {
      await locked.stop();
    }
  });

  it('--watch --json prints one JSON document per poll until interrupted, then exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'queue', '--name', 'backlog', '--json', '--watch', '--interval', '500ms', '--redis', redis.url(3)],
      { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(() => stdout.split('\n').filter(Boolean).length >= 3, 'three polls');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const docs = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { queues: { queue: string; waiting: number; takenAt: number }[] });
    expect(docs.length).toBeGreaterThanOrEqual(3);
    for (const doc of docs) expect(doc.queues.map((q) => [q.queue, q.waiting])).toEqual([['backlog', 3]]);
    expect(docs[2]!.queues[0]!.takenAt).toBeGreaterThan(docs[0]!.queues[0]!.takenAt);
  });

  it('exit codes: 1 not found, 2 bad usage or configuration, 3 unreachable', async () => {
    const notFound = await cli(['queue', '--name', 'missing', '--window', '0', '--redis', redis.url(3)]);
    expect([notFound.code, notFound.stderr]).toEqual([1, 'task-status: queue not found: no queue named "missing"\n']);
    const noTask = await cli(['task', '--id', 'no-such-id', '--redis', redis.url(3)]);
    expect([noTask.code, noTask.stderr]).toEqual([1, 'task-status: task not found: no task with id "no-such-id"\n']);
    const badUrl = await cli(['dashboard', '--redis', 'http://x']);
    expect([badUrl.code, badUrl.stderr]).toEqual([2, 'task-status: bad URL: "http://x": the scheme must be redis:// or rediss://, not http:// (Sentinel: redis+sentinel:// or sentinel://; Cluster: redis+cluster://)\n']);
    const missingFile = await cli(['dashboard', '--config', '/nonexistent.yaml']);
    expect([missingFile.code, missingFile.stderr]).toEqual([2, 'task-status: bad configuration: /nonexistent.yaml: no such file\n']);
    const badOption = await cli(['dashboard', '--frobnicate']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--frobnicate'");
    const port = await freePort();
    const down = await cli(['dashboard', '--window', '0', '--redis', `redis://127.0.0.1:${port}/0`, '--redis', redis.url(3)]);
    expect(down.code).toBe(3);
    expect(down.stdout).toContain('rq         default');
    expect(down.stderr).toBe(`task-status: 127.0.0.1:${port}/0: unreachable: 127.0.0.1:${port} refused the connection (is Redis running there?)\n`);
    const spin = await cli(['dashboard', '--watch', '--interval', '0', '--redis', redis.url(3)]);
    expect([spin.code, spin.stderr]).toEqual([2, 'task-status: bad usage: --interval: 0 is too short; the least is 500 ms\n']);
    const noDb = await cli(['dashboard', '--window', '0', '--redis', `redis://127.0.0.1:${redis.port}/16`]);
    expect([noDb.code, noDb.stderr]).toEqual([3, `task-status: 127.0.0.1:${redis.port}/16: bad URL: 127.0.0.1:${redis.port} has no database 16 (ERR DB index is out of range)\n`]);
    expect(noDb.stdout).not.toContain('backlog');
    const help = await cli(['task', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--id <id>');
    const version = await cli(['--version']);
    expect([version.code, version.stdout]).toEqual([0, `${JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version}\n`]);
  });

  it('a password kept only in the tray keychain is refused with the way out, exit 2', async () => {
    const trayDir = join(home, '.config', 'task-status');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(trayDir, { recursive: true });
    writeFileSync(join(trayDir, 'config.json'), JSON.stringify({ connections: [{ id: 'desk', kind: 'redis', url: 'redis://127.0.0.1:1/0', passwordEncrypted: 'djEwAAAA' }] }));
    try {
      const run = await cli(['dashboard', '--window', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^task-status: desk: password not available: connection "desk" keeps its password in the tray app's keychain/);
      expect(run.stderr).toContain('passwordEnv');
      const viaEnv = await cli(['queue', '--name', 'backlog', '--json', '--window', '0'], { REDIS_URL: redis.url(3) });
      expect(viaEnv.code).toBe(0);
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(trayDir, { recursive: true, force: true });
    }
  });
});
