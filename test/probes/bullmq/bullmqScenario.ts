import type { Job, Queue } from 'bullmq';
import type { PrivateRedis } from '../../support/redisServer.js';
import { loadBullmq, track, until, type BullmqMajor } from '../../support/bullmqWorkers.js';

/**
 * One database laid out by real BullMQ workers of one major version:
 * - `emails` (prefix `bull`): named worker `bw1` (concurrency 1) ran 2 ok jobs, a flaky job that
 *   failed once then succeeded (a retry, not a failure), a job that failed for good, and a job
 *   whose first attempt failed with a one-hour backoff (delayed, retrying); it now holds a slow job
 *   (active, busy); behind it 3 waiting, 2 prioritized and 2 delayed jobs.
 * - `reports` (prefix `bull`): paused (5.x moves its jobs to `:paused`, 6.x keeps them in `:wait`)
 *   with 2 jobs and 1 prioritized; an unnamed worker that does not run (online, idle).
 * - `thumbs` (prefix `myapp`): a flow parent waiting for its child (waiting-children) and 2 jobs; no worker.
 */
export interface BullmqScenario {
  queues: { prefix: string; queue: Queue }[];
  ids: { ok: string; fail: string; flaky: string; retryLater: string; slow: string; delayed: string };
  /** Lets the slow job finish. */
  release(): void;
}

export const scenarioQueues = ['emails', 'reports', 'thumbs'] as const;

export async function buildScenario(redis: PrivateRedis, db: number, major: BullmqMajor): Promise<BullmqScenario> {
  const { Queue, Worker, FlowProducer } = loadBullmq(major);
  const connection = { host: '127.0.0.1', port: redis.port, db };
  const emails = track(new Queue('emails', { connection }));
  const reports = track(new Queue('reports', { connection }));
  const thumbs = track(new Queue('thumbs', { connection, prefix: 'myapp' }));
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  track(new Worker('emails', async (job: Job) => {
    await job.log(`start ${job.name} ${job.id}`);
    await job.updateProgress(40);
    if (job.name === 'fail') throw new Error(`boom ${job.id}`);
    if (job.name === 'flaky' && job.attemptsMade === 0) throw new TypeError('flaky first attempt');
    if (job.name === 'slow') await released;
    await job.log('done');
    return { ok: job.id };
  }, { connection, name: 'bw1', concurrency: 1 }));

  const ok = await emails.add('ok', { n: 1 });
  await emails.add('ok', { n: 2 });
  const fail = await emails.add('fail', { n: 3 });
  const flaky = await emails.add('flaky', { n: 4 }, { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
  const retryLater = await emails.add('fail', { n: 5 }, { attempts: 3, backoff: { type: 'fixed', delay: 3_600_000 } });
  await until(async () => {
    const c = await emails.getJobCounts('completed', 'failed', 'delayed');
    return c.completed === 3 && c.failed === 1 && c.delayed === 1;
  }, 'emails: 3 completed, 1 failed, 1 delayed for retry');
  const slow = await emails.add('slow', { n: 6 });
  await until(async () => (await emails.getJobCounts('active')).active === 1, 'the slow job to run');
  for (const n of [7, 8, 9]) await emails.add('later', { n });
  await emails.add('urgent', { n: 10 }, { priority: 1 });
  await emails.add('lowly', { n: 11 }, { priority: 5 });
  const delayed = await emails.add('scheduled', { n: 12 }, { delay: 3_600_000 });
  await emails.add('scheduled', { n: 13 }, { delay: 7_200_000 });

  await reports.pause();
  await reports.add('r', { n: 1 });
  await reports.add('r', { n: 2 });
  await reports.add('r', { n: 3 }, { priority: 2 });
  const idle = track(new Worker('reports', async () => 1, { connection, autorun: false }));
  await idle.waitUntilReady();

  const flow = track(new FlowProducer({ connection, prefix: 'myapp' }));
  await flow.add({ name: 'parent', queueName: 'thumbs', children: [{ name: 'child', queueName: 'thumbs', data: { n: 1 } }] });
  await thumbs.add('t', { n: 2 });
  await until(async () => (await emails.getWorkers()).length === 1 && (await reports.getWorkers()).length === 1, 'workers to connect');

  return {
    queues: [{ prefix: 'bull', queue: emails }, { prefix: 'bull', queue: reports }, { prefix: 'myapp', queue: thumbs }],
    ids: { ok: ok.id!, fail: fail.id!, flaky: flaky.id!, retryLater: retryLater.id!, slow: slow.id!, delayed: delayed.id! },
    release,
  };
}

/**
 * What BullMQ itself reports for a queue, in the contract's words (README.md "Figures"):
 * waiting = wait + paused (5.x) + prioritized; scheduled = delayed; running = active;
 * workers online = Queue.getWorkers(), busy = those an active job's processedBy names. The oldest waiting job is the next to run of wait, paused
 * and prioritized (read with redis-cli), ready since its own timestamp + delay.
 */
export async function bullmqReport(redis: PrivateRedis, db: number, prefix: string, queue: Queue): Promise<Record<string, unknown>> {
  const c = await queue.getJobCounts() as Record<string, number>;
  const workers = await queue.getWorkers();
  // Busy: a worker named by an active job's processedBy (BullMQ records it for named workers only).
  const active = await queue.getActive();
  const runningFor = new Set(active.map((j) => j.processedBy));
  const names = workers.map((w) => /:w:(.*)$/s.exec(w.rawname ?? '')?.[1] ?? null);
  const busy = active.length === 0 ? 0 : names.some((n) => n === null) ? null : names.filter((n) => runningFor.has(n!)).length;
  const base = `${prefix}:${queue.name}`;
  const next = [redis.cli(['LINDEX', `${base}:wait`, '-1'], db), redis.cli(['LINDEX', `${base}:paused`, '-1'], db),
    redis.cli(['ZRANGE', `${base}:prioritized`, '0', '0'], db)].filter(Boolean);
  const ready = await Promise.all(next.map(async (id) => { const j = (await queue.getJob(id))!; return j.timestamp + (j.delay ?? 0); }));
  return {
    waiting: c.waiting! + (c.paused ?? 0) + c.prioritized!,
    scheduled: c.delayed, reserved: null, running: c.active, failed: c.failed, dead: null, retrying: null,
    oldestWaitingAt: ready.length ? Math.min(...ready) : null,
    'workers.online': workers.length, 'workers.busy': busy, 'workers.offline': null,
  };
}
