import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertTransition, CheckResult } from '../../../src-main/contract/alerts.js';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../../support/rqWorkers.js';

/**
 * `task-status check` and `task-status alerts` as a user runs them (`node bin/task-status.js`,
 * built by `npm run build:cli`), on a private redis-server with real RQ 1.13 workers: the exit
 * code follows monitoring plugins (0 ok, 1 warning, 2 error/critical/emergency, 3 unknown).
 */
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'task-status.js');
const home = mkdtempSync(join(tmpdir(), 'task-status-check-'));

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: no REDIS_URL and no tray config from the machine running the tests.
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function config(name: string, document: unknown): string {
  const path = join(home, name);
  writeFileSync(path, JSON.stringify(document));
  return path;
}

let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startRedis();
  // db 1: a worker and nothing waiting. db 2: 1010 jobs nobody consumes. db 3: 25 of 30 failed.
  await startRqWorker(redis, { db: 1, queues: ['idle'], name: 'check-idle' });
  rqTool(redis, 2, 'enqueue', Array.from({ length: 1010 }, (_, i) => ({ queue: 'bulk', func: 'add', args: [i, 1] })));
  rqTool(redis, 3, 'enqueue', [
    ...Array.from({ length: 25 }, (_, i) => ({ queue: 'work', func: 'fail', args: [`boom ${i}`] })),
    ...Array.from({ length: 5 }, (_, i) => ({ queue: 'work', func: 'add', args: [i, i] })),
  ]);
  await startRqWorker(redis, { db: 3, queues: ['work'], name: 'check-failer' });
  await waitFor(() => redis.cli(['ZCARD', 'rq:failed:work'], 3) === '25' && redis.cli(['ZCARD', 'rq:finished:work'], 3) === '5', 'the worker to run all 30');
});
afterAll(async () => {
  await destroyAllRqWorkers();
  await redis?.stop();
});

describe('task-status check', () => {
  it('0: a worker, nothing waiting, nothing firing', async () => {
    const run = await cli(['check', '--redis', redis.url(1), '--window', '0']);
    expect([run.code, run.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^TASK-STATUS OK - \d+ rule instances evaluated, none firing$/)]);
  });

  it('1: a backlog of 1010 → warning, named in the first line; firing lines first, then the consumer check, only pending', async () => {
    const run = await cli(['check', '--redis', redis.url(2), '--window', '0']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(run.code).toBe(1);
    expect(lines[0]).toBe(`TASK-STATUS WARNING - 1 firing: Backlog over 1000 — 127.0.0.1:${redis.port}/2 rq bulk: waiting ${redis.cli(['LLEN', 'rq:queue:bulk'], 2)} > 1000`);
    expect(lines.slice(1).map((l) => l.replace(/ since .* UTC /, ' since … '))).toEqual([
      `WARNING   firing since …  Backlog over 1000 — 127.0.0.1:${redis.port}/2 rq bulk: waiting 1010 > 1000`,
      `EMERGENCY pending since …  Waiting work and no consumer — 127.0.0.1:${redis.port}/2 rq bulk: waitingWithoutConsumer 1010 > 0`,
    ]);
  });

  it('2: 25 of 30 failed → critical; --json is the CheckResult', async () => {
    const run = await cli(['check', '--redis', redis.url(3), '--window', '0', '--json']);
    const result = JSON.parse(run.stdout) as CheckResult;
    expect([run.code, result.status, result.exitCode]).toEqual([2, 'critical', 2]);
    expect(result.alerts.map((a) => [a.ruleId, a.state, a.value])).toEqual([['failureRatio', 'firing', Math.round((25 / 30) * 10_000) / 10_000]]);
    expect(result.connections).toEqual([{ id: `127.0.0.1:${redis.port}/3`, url: redis.url(3), status: 'ok', detail: null }]);
  });

  it('2: a broker that cannot be reached → emergency', async () => {
    const port = await freePort();
    const run = await cli(['check', '--redis', `redis://127.0.0.1:${port}/0`, '--window', '0']);
    expect(run.code).toBe(2);
    expect(run.stdout.split('\n')[0]).toBe(`TASK-STATUS EMERGENCY - 1 firing: Broker unreachable — 127.0.0.1:${port}/0: connectionStatus unreachable`);
  });

  it('3: nothing could be evaluated (every rule disabled in the config)', async () => {
    const ids = ['backlog', 'oldestWaiting', 'taskTimeout', 'failureRatio', 'workerLost', 'noConsumer', 'brokerUnreachable', 'brokerUnauthorized', 'brokerMemory', 'brokerEvictions', 'brokerMemoryAlarm', 'brokerDiskAlarm'];
    const path = config('none.json', { connections: [{ url: redis.url(2) }], rules: ids.map((id) => ({ id, enabled: false })) });
    const run = await cli(['check', '--config', path, '--window', '0']);
    expect([run.code, run.stdout.split('\n')[0]]).toEqual([3, 'TASK-STATUS UNKNOWN - nothing could be evaluated']);
  });

  it('rules come from the config: a default edited by id, and a bad rule is a configuration error (2)', async () => {
    const edited = config('edited.json', { connections: [{ url: redis.url(3) }], rules: [{ id: 'failureRatio', level: 'warning', condition: { value: '90%' } }] });
    expect((await cli(['check', '--config', edited, '--window', '0'])).code).toBe(0);
    const lowered = config('lowered.json', { connections: [{ url: redis.url(3) }], rules: [{ id: 'failureRatio', level: 'warning', condition: { value: '50%' } }] });
    expect((await cli(['check', '--config', lowered, '--window', '0'])).code).toBe(1);
    const bad = config('bad.json', { connections: [{ url: redis.url(3) }], rules: [{ id: 'x', condition: { figure: 'wating', op: '>', value: 1 } }] });
    const run = await cli(['check', '--config', bad, '--window', '0']);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('rules.0.condition.figure')]);
  });

  it('--alert-state carries a rule\'s `for` across runs; --alert-log gets one line per transition', async () => {
    const path = config('carry.json', { connections: [{ url: redis.url(2) }], rules: [{ id: 'noConsumer', for: '2s' }, { id: 'backlog', enabled: false }] });
    const state = join(home, 'state.json');
    const log = join(home, 'alerts.log');
    const first = await cli(['check', '--config', path, '--window', '0', '--alert-state', state, '--alert-log', log]);
    expect([first.code, first.stdout.split('\n')[1]]).toEqual([0, expect.stringMatching(/^EMERGENCY pending since /)]);
    await new Promise((r) => setTimeout(r, 2500));
    const second = await cli(['check', '--config', path, '--window', '0', '--alert-state', state, '--alert-log', log]);
    expect([second.code, second.stdout.split('\n')[0]]).toEqual([2, expect.stringMatching(/^TASK-STATUS EMERGENCY - 1 firing: Waiting work and no consumer/)]);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as AlertTransition);
    expect(lines.map((l) => [l.ruleId, l.from, l.to])).toEqual([['noConsumer', 'inactive', 'pending'], ['noConsumer', 'pending', 'firing']]);
  });
});

describe('task-status alerts', () => {
  it('lists firing and pending alerts, worst first; exit 0 (a view)', async () => {
    const run = await cli(['alerts', '--redis', redis.url(2), '--window', '0', '--json']);
    const result = JSON.parse(run.stdout) as CheckResult;
    expect(run.code).toBe(0);
    expect(result.alerts.map((a) => [a.ruleId, a.level, a.state])).toEqual([['noConsumer', 'emergency', 'pending'], ['backlog', 'warning', 'firing']]);
  });

  it('exit 3 when a connection could not be read, after listing', async () => {
    const port = await freePort();
    const run = await cli(['alerts', '--redis', `redis://127.0.0.1:${port}/0`, '--window', '0']);
    expect([run.code, run.stdout.split('\n')[0]]).toEqual([3, 'Alerts: 1 firing, 0 pending, 0 resolved (status emergency, 2 rule instances evaluated)']);
  });
});
