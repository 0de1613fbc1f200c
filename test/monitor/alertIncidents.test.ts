import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, NotifyDecision } from '../../src-main/contract/alerts.js';
import { createApp, type TaskStatusApp } from '../../src-main/bootstrap/createApp.js';
import { defaultRules } from '../../src-main/core/alerts/defaultRules.js';
import { resolveConnections } from '../../src-main/core/config/resolveConnections.js';
import { freePort, startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqPythonDir, rqTool, startRqWorker, waitFor } from '../support/rqWorkers.js';
import { destroyAllCeleryWorkers, startCeleryWorker } from '../support/celeryWorkers.js';

/**
 * Incidents on a private redis-server with real RQ 1.13 workers, through the whole product
 * (createApp: sessions, probes, metrics, the alert pipeline after every poll), polling every
 * 300 ms. Each test counts the notification decisions the pipeline emits: one when an incident
 * fires, one when it recovers, nothing else.
 */
const pollMs = 300;

/** A redis-server that can be stopped and started again on the same port (the broker going away). */
class RestartableRedis implements PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'task-status-alerts-redis-'));
  #child: ChildProcess | null = null;
  constructor(readonly port: number) {}
  url(db?: number) {
    return `redis://127.0.0.1:${this.port}${db === undefined ? '' : `/${db}`}`;
  }
  cli(args: string[], db = 0): string {
    return spawnSync('redis-cli', ['-p', String(this.port), '-n', String(db), ...args], { encoding: 'utf8' }).stdout.trim();
  }
  async start(): Promise<void> {
    this.#child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    await waitFor(() => this.cli(['PING']) === 'PONG', `redis-server on ${this.port}`);
  }
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

let redis: RestartableRedis;
const apps: TaskStatusApp[] = [];

beforeAll(async () => {
  redis = new RestartableRedis(await freePort());
  await redis.start();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await destroyAllRqWorkers();
  await destroyAllCeleryWorkers();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(redis.dir, { recursive: true, force: true });
});

function rules(ids: string[], edits: Record<string, Partial<AlertRule>> = {}): AlertRule[] {
  return defaultRules.filter((r) => ids.includes(r.id)).map((r) => ({ ...r, enabled: true, ...edits[r.id] }));
}

/** The product on database `db`, polling every 300 ms; every decision is recorded. */
function watch(db: number, ruleSet: AlertRule[]): { app: TaskStatusApp; decisions: NotifyDecision[]; told: () => string[] } {
  const config = { ...resolveConnections({ redisUrls: [redis.url(db)], configFile: null, env: {}, trayConfig: null }), pollIntervalMs: pollMs };
  const app = createApp({ config, session: { sampleIntervalMs: 0, discoveryIntervalMs: 1000 }, alerts: { rules: ruleSet } });
  apps.push(app);
  const decisions: NotifyDecision[] = [];
  app.alerts.onAlertDecision((d) => decisions.push(d));
  app.monitor.start();
  return { app, decisions, told: () => decisions.map((d) => `${d.alert.ruleId} ${d.reason}${d.notify ? '' : `/${d.suppressedBy}`}`) };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A few more polls, so that a second (wrong) notification would have had its chance. */
const morePolls = () => new Promise((r) => setTimeout(r, 5 * pollMs));

/** Enqueues through RQ's own API, with options rq_tool.py does not pass (job_timeout). */
function enqueue(db: number, python: string): string {
  const run = spawnSync('/usr/bin/python3', ['-c', `from redis import Redis\nfrom rq import Queue\nimport rq_jobs\nc = Redis.from_url('${redis.url(db)}')\n${python}`], {
    cwd: rqPythonDir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: rqPythonDir },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('alert incidents on real RQ workers', () => {
  it('a backlog builds past 1000 → one warning; it drains → one recovery', async () => {
    enqueue(1, "q = Queue('bulk', connection=c)\nfor i in range(1010): q.enqueue(rq_jobs.add, i, 1)");
    const { app, decisions, told } = watch(1, rules(['backlog']));
    await until('the backlog warning', () => decisions.length === 1);
    expect(decisions[0]!.alert).toMatchObject({ ruleId: 'backlog', level: 'warning', state: 'firing', value: Number(redis.cli(['LLEN', 'rq:queue:bulk'], 1)) });
    expect(decisions[0]!.alert.value).toBe(1010);
    await startRqWorker(redis, { db: 1, queues: ['bulk'], name: 'drainer' });
    await until('the recovery', () => decisions.length === 2, 60_000);
    await morePolls();
    expect(told()).toEqual(['backlog first', 'backlog resolved']);
    // Resolved once waiting was at or below the clear threshold (900), as RQ counted it then.
    expect(decisions[1]!.alert.value).toBeLessThanOrEqual(900);
    expect(app.alerts.firing()).toEqual([]);
  });

  it('failures: 25 of 30 finished failed (at least 20 finished) → one critical', async () => {
    rqTool(redis, 2, 'enqueue', [
      ...Array.from({ length: 25 }, (_, i) => ({ queue: 'work', func: 'fail', args: [`boom ${i}`] })),
      ...Array.from({ length: 5 }, (_, i) => ({ queue: 'work', func: 'add', args: [i, i] })),
    ]);
    await startRqWorker(redis, { db: 2, queues: ['work'], name: 'failer' });
    await waitFor(() => redis.cli(['LLEN', 'rq:queue:work'], 2) === '0' && redis.cli(['ZCARD', 'rq:failed:work'], 2) === '25' && redis.cli(['ZCARD', 'rq:finished:work'], 2) === '5', 'the worker to run all 30');
    const { decisions, told } = watch(2, rules(['failureRatio']));
    await until('the failure alert', () => decisions.length === 1);
    await morePolls();
    expect(told()).toEqual(['failureRatio first']);
    expect(decisions[0]!.alert).toMatchObject({ level: 'critical', value: Math.round((25 / 30) * 10_000) / 10_000, labels: { queue: 'work' } });
  });

  it('a task stuck past the timeout RQ recorded for it (3 s) → one error, measured from its own start; it ends → one recovery', async () => {
    const worker = await startRqWorker(redis, { db: 3, queues: ['slow'], name: 'sleeper' });
    const id = enqueue(3, "print(Queue('slow', connection=c).enqueue(rq_jobs.sleep_for, 60, job_timeout=3).id)");
    await waitFor(() => redis.cli(['HGET', `rq:job:${id}`, 'status'], 3) === 'started', 'the job to start');
    // Stop the work horse, as a task stuck in C code would be: RQ's alarm cannot end it, so it runs past its timeout.
    const horse = Number(spawnSync('ps', ['-o', 'pid=', '--ppid', String(worker.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
    process.kill(horse, 'SIGSTOP');
    const { app, decisions, told } = watch(3, rules(['taskTimeout']));
    await until('the timeout alert', () => decisions.length === 1);
    const startedText = redis.cli(['HGET', `rq:job:${id}`, 'started_at'], 3); // RQ writes UTC, with or without the Z
    const startedAt = Date.parse(/Z$/.test(startedText) ? startedText : `${startedText}Z`);
    expect(decisions[0]!.alert).toMatchObject({ ruleId: 'taskTimeout', level: 'error', threshold: 3000, labels: { task: id, startedAt: String(startedAt), queue: 'slow' } });
    expect(decisions[0]!.at - startedAt).toBeGreaterThan(3000);
    await morePolls();
    expect(told()).toEqual(['taskTimeout first']);
    process.kill(horse, 'SIGCONT'); // the pending alarm ends it now: RQ fails it with JobTimeoutException
    await until('the recovery', () => decisions.length === 2);
    await morePolls();
    expect(told()).toEqual(['taskTimeout first', 'taskTimeout resolved']);
    expect(redis.cli(['HGET', `rq:job:${id}`, 'status'], 3)).toBe('failed');
    expect(app.alerts.firing()).toEqual([]);
  });

  it('a worker killed (SIGKILL) → one emergency within one poll; one stopped cleanly → nothing', async () => {
    const killed = await startRqWorker(redis, { db: 4, queues: ['jobs'], name: 'victim' });
    const clean = await startRqWorker(redis, { db: 4, queues: ['jobs'], name: 'deployed' });
    const { app, decisions, told } = watch(4, rules(['workerLost']));
    await until('a first evaluation', () => app.alerts.view().evaluatedAt !== null);
    await morePolls();
    await clean.stop();
    await morePolls();
    expect(told()).toEqual([]);
    const killedAt = Date.now();
    await killed.kill();
    await until('the worker-lost emergency', () => decisions.length === 1);
    // RQ workers name their connection: its disappearance is seen at the next poll (no heartbeat TTL to wait for).
    expect(decisions[0]!.at - killedAt).toBeLessThan(pollMs + 2000);
    await morePolls();
    expect(told()).toEqual(['workerLost first']);
    expect(decisions[0]!.alert).toMatchObject({ level: 'emergency', labels: { worker: 'victim' } });
    expect(redis.cli(['SISMEMBER', 'rq:workers', 'rq:worker:victim'], 4)).toBe('1');
  });

  it('the broker stopped → one emergency; restarted → one recovery (once read again for 15 s)', async () => {
    const { app, decisions, told } = watch(5, rules(['brokerUnreachable', 'backlog', 'workerLost', 'noConsumer']));
    await until('a first evaluation', () => app.alerts.view().evaluatedAt !== null);
    await redis.stop();
    await until('the unreachable emergency', () => decisions.length === 1);
    await morePolls();
    expect(told()).toEqual(['brokerUnreachable first']);
    expect(decisions[0]!.alert).toMatchObject({ level: 'emergency', value: 'unreachable' });
    await redis.start();
    await until('the recovery', () => decisions.length === 2);
    await morePolls();
    expect(told()).toEqual(['brokerUnreachable first', 'brokerUnreachable resolved']);
  });
});

describe('alert incidents on real Celery 5.2 workers (heartbeats every second)', () => {
  it('a worker killed → one emergency once two heartbeats are missed, plus a poll; one stopped cleanly (worker-offline) → nothing', async () => {
    const app6 = { brokerUrl: redis.url(6) };
    const killed = await startCeleryWorker({ app: app6, name: 'victim@test', queues: ['celery'], events: true, heartbeatInterval: 1 });
    const clean = await startCeleryWorker({ app: app6, name: 'deployed@test', queues: ['celery'], events: true, heartbeatInterval: 1 });
    // Watching starts once the workers' queue bindings exist, so Celery is detected at the first poll.
    const { app, decisions, told } = watch(6, rules(['workerLost']));
    await until('both workers online', () => app.monitor.dashboard().connections[0]!.workers.filter((w) => w.state === 'online').length === 2);
    await clean.stop();
    await new Promise((r) => setTimeout(r, 3000 + 2 * pollMs)); // past its heartbeat window: gone, not offline
    expect(told()).toEqual([]);
    const killedAt = Date.now();
    await killed.kill();
    await until('the worker-lost emergency', () => decisions.length === 1);
    // Celery's rule: offline once the last heartbeat is older than two intervals (2 s here); then one poll.
    expect(decisions[0]!.at - killedAt).toBeLessThan(2000 + pollMs + 1500);
    await morePolls();
    expect(told()).toEqual(['workerLost first']);
    expect(decisions[0]!.alert).toMatchObject({ level: 'emergency', labels: { framework: 'celery', worker: 'victim@test' } });
  });
});

describe('broker resources on a real redis-server (maxmemory 4 MB, allkeys-lru)', () => {
  it('filled past maxmemory: one critical for memory and one for evictions; memory freed → memory recovers once', async () => {
    const small = await startRedis(['--maxmemory', '4mb', '--maxmemory-policy', 'allkeys-lru']);
    try {
      const config = { ...resolveConnections({ redisUrls: [small.url(0)], configFile: null, env: {}, trayConfig: null }), pollIntervalMs: pollMs };
      const app = createApp({ config, session: { sampleIntervalMs: 0 }, alerts: { rules: rules(['brokerMemory', 'brokerEvictions']) } });
      apps.push(app);
      const told: string[] = [];
      app.alerts.onAlertDecision((d) => told.push(`${d.alert.ruleId} ${d.reason} ${d.alert.level}`));
      app.monitor.start();
      await until('a first evaluation', () => app.alerts.view().evaluatedAt !== null);
      expect(told).toEqual([]);
      // 8 MB of values into a 4 MB server: it evicts.
      for (let i = 0; i < 8; i++) small.cli(['EVAL', "for i=1,256 do redis.call('SET', KEYS[1]..i, string.rep('x', 4096)) end", '1', `fill:${i}:`]);
      expect(Number(/evicted_keys:(\d+)/.exec(small.cli(['INFO', 'stats']))![1])).toBeGreaterThan(0);
      await until('both resource alerts', () => told.length === 2);
      expect(told.sort()).toEqual(['brokerEvictions first critical', 'brokerMemory first critical']);
      const memory = app.alerts.firing().find((a) => a.ruleId === 'brokerMemory')!;
      expect(memory.value as number).toBeGreaterThanOrEqual(0.9);
      small.cli(['FLUSHALL']);
      await until('the memory recovery', () => told.length === 3);
      await morePolls();
      // Evictions keep firing 10 minutes after the last one (keepFiringFor), so only memory recovered.
      expect(told).toEqual(['brokerEvictions first critical', 'brokerMemory first critical', 'brokerMemory resolved critical']);
    } finally {
      await small.stop();
    }
  });
});

describe('waiting work and no consumer on real RQ workers', () => {
  it('the only worker of a queue stops while work waits → one emergency after `for`; a worker comes back → one recovery', async () => {
    const worker = await startRqWorker(redis, { db: 7, queues: ['orders'], name: 'orders-1' });
    const { app, decisions, told } = watch(7, rules(['noConsumer'], { noConsumer: { forMs: 1000 } }));
    await until('a first evaluation', () => app.alerts.view().evaluatedAt !== null);
    await worker.stop();
    rqTool(redis, 7, 'enqueue', [{ queue: 'orders', func: 'add', args: [1, 2] }, { queue: 'orders', func: 'add', args: [3, 4] }]);
    await until('the no-consumer emergency', () => decisions.length === 1);
    expect(decisions[0]!.alert).toMatchObject({ ruleId: 'noConsumer', level: 'emergency', value: Number(redis.cli(['LLEN', 'rq:queue:orders'], 7)) });
    expect(decisions[0]!.alert.firedAt! - decisions[0]!.alert.activeAt!).toBeGreaterThanOrEqual(1000);
    await startRqWorker(redis, { db: 7, queues: ['orders'], name: 'orders-2' });
    await until('the recovery', () => decisions.length === 2);
    await morePolls();
    expect(told()).toEqual(['noConsumer first', 'noConsumer resolved']);
  });
});

describe('the Api over the alert pipeline (createApp)', () => {
  it('getAlerts with the status, onDidChangeAlerts, acknowledgeAlert, snoozeAlert; bad requests are BAD_USAGE', async () => {
    enqueue(8, "q = Queue('api', connection=c)\nfor i in range(1005): q.enqueue(rq_jobs.add, i, 1)");
    const { app } = watch(8, rules(['backlog']));
    const heard: string[] = [];
    app.api.onDidChangeAlerts((view) => heard.push(`${view.status} ${view.alerts.map((a) => `${a.ruleId}:${a.state}`).join()}`));
    await until('the backlog alert', () => heard.length > 0);
    expect(heard[0]).toBe('warning backlog:firing');
    const view = await app.api.getAlerts({});
    expect([view.status, view.alerts.map((a) => [a.ruleId, a.value])]).toEqual(['warning', [['backlog', 1005]]]);
    const key = view.alerts[0]!.key;
    const acked = await app.api.acknowledgeAlert({ key });
    expect(acked.acknowledgedAt).toBeGreaterThan(0);
    const snoozeUntil = Date.now() + 3_600_000;
    expect(await app.api.snoozeAlert({ ruleId: 'backlog', until: snoozeUntil })).toMatchObject({ id: 'rule:backlog', match: { ruleId: 'backlog' }, until: snoozeUntil });
    expect((await app.api.getAlerts({})).snoozes.map((s) => s.until)).toEqual([snoozeUntil]);
    await expect(app.api.acknowledgeAlert({ key: 'nope{}' })).rejects.toMatchObject({ code: 'BAD_USAGE' });
    await expect(app.api.snoozeAlert({ key, ruleId: 'backlog', forMs: 60_000 })).rejects.toMatchObject({ code: 'BAD_USAGE' });
  });
});
