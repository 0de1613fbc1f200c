import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import {
  destroyAllCeleryWorkers, sendTasks, startCeleryWorker, waitUntil, type CeleryAppSettings, type CeleryWorker,
} from '../../support/celeryWorkers.js';

/**
 * The command line end to end on real Celery 5.2.6 workers: the monitor's own event subscription
 * (heard during --window), priority sub-queues and a key prefix, the result backend in another
 * database, and a crashed worker seen by a CLI started after the crash.
 */
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'task-status.js');
const home = mkdtempSync(join(tmpdir(), 'task-status-home-'));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface QueueJson { queue: string; namespace: string; waiting: number; running: number | null; failed: number | null; workers: { online: number | null; busy: number | null; offline: number | null } }
interface DashboardJson { connections: { status: string; frameworks: string[]; queues: QueueJson[]; workers: { name: string; state: string; busy: boolean | null }[] }[] }

let redis: PrivateRedis;
let app: CeleryAppSettings;
let worker: CeleryWorker;

describe('task-status CLI on real Celery workers', () => {
  beforeAll(async () => {
    redis = await startRedis();
    // task_send_sent_event: the producer names each task's queue, so events can be attributed.
    app = { brokerUrl: redis.url(1), backendUrl: redis.url(2), keyPrefix: 'qlab:', sentEvent: true };
    // Nobody consumes `backlog`: priorities 0, 5 and 9 land in three sub-queues.
    sendTasks(app, [
      { task: 'add', args: [1, 1], queue: 'backlog', priority: 0, count: 2 },
      { task: 'add', args: [1, 1], queue: 'backlog', priority: 5, count: 3 },
      { task: 'add', args: [1, 1], queue: 'backlog', priority: 9, count: 4 },
    ]);
    worker = await startCeleryWorker({ app, name: 'w1@cli', queues: ['work'], events: true, heartbeatInterval: 1 });
  });
  afterAll(async () => {
    await destroyAllCeleryWorkers();
    await redis.stop();
  });

  it('sums priority sub-queues under the detected key prefix', async () => {
    const run = await cli(['queue', '--name', 'backlog', '--json', '--window', '0', '--redis', redis.url(1)]);
    expect(run.code).toBe(0);
    const [q] = (JSON.parse(run.stdout) as { queues: QueueJson[] }).queues;
    const llen = (key: string) => Number(redis.cli(['LLEN', key], 1));
    const independent = llen('qlab:backlog') + llen('qlab:backlog\x06\x163') + llen('qlab:backlog\x06\x166') + llen('qlab:backlog\x06\x169');
    expect(independent).toBe(9);
    expect(q).toMatchObject({ queue: 'backlog', namespace: 'db1 qlab:', waiting: 9 });
  });

  it('hears the worker during --window and reads failures from events', async () => {
    const listening = cli(['dashboard', '--json', '--window', '4s', '--redis', redis.url(1)]);
    await new Promise((r) => setTimeout(r, 1500));
    const ids = sendTasks(app, [{ task: 'add', args: [2, 3], queue: 'work' }, { task: 'fail', args: ['boom'], queue: 'work' }]);
    const run = await listening;
    expect(run.code).toBe(0);
    const [c] = (JSON.parse(run.stdout) as DashboardJson).connections;
    expect(c!.frameworks).toEqual(['celery']);
    expect(c!.workers.map((w) => [w.name, w.state])).toEqual([['w1@cli', 'online']]);
    const work = c!.queues.find((q) => q.queue === 'work')!;
    expect(work).toMatchObject({ waiting: 0, running: 0, failed: 1 });
    // With two queues in the namespace the worker cannot be attributed to one of them.
    expect(work.workers).toEqual({ online: null, busy: null, offline: null });
    const detail = await cli(['task', '--id', ids[1]!, '--json', '--redis', redis.url(1), '--celery-backend', redis.url(2)]);
    expect(detail.code).toBe(0);
    const { task } = JSON.parse(detail.stdout) as { task: { state: string; error: { type: string } } };
    expect(task.state).toBe('failed');
    expect(task.error.type).toBe('ValueError');
    expect(JSON.parse(redis.cli(['GET', `celery-task-meta-${ids[1]}`], 2)).status).toBe('FAILURE');
  });

  it('a worker killed before the CLI started is shown offline; one stopped cleanly is gone', async () => {
    await worker.kill();
    // The default window (5 s) spans two of Celery's default heartbeat intervals.
    const killed = await cli(['dashboard', '--json', '--redis', redis.url(1)]);
    const [c] = (JSON.parse(killed.stdout) as DashboardJson).connections;
    expect(c!.workers.map((w) => [w.name, w.state, w.busy])).toEqual([['w1@cli', 'offline', null]]);
    expect(c!.queues.find((q) => q.queue === 'work')!.workers).toEqual({ online: 0, busy: 0, offline: null });
    await destroyAllCeleryWorkers();

    const second = await startCeleryWorker({ app, name: 'w2@cli', queues: ['work'], events: true, heartbeatInterval: 1 });
    await second.stop();
    await waitUntil(() => !redis.cli(['SMEMBERS', 'qlab:_kombu.binding.celery.pidbox'], 1).includes('w2@cli'), 'the clean shutdown to remove its binding');
    const stopped = await cli(['dashboard', '--json', '--window', '3s', '--redis', redis.url(1)]);
    const names = (JSON.parse(stopped.stdout) as DashboardJson).connections[0]!.workers.map((w) => w.name);
    expect(names).not.toContain('w2@cli');
  });
});
