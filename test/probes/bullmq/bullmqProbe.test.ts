import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import type { ProbeContext, ProbeNamespace, ProbeReading } from '../../../src-main/probes/probe.js';
import { bullmqProbe } from '../../../src-main/probes/bullmq/bullmqProbe.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { bullmqVersion, closeAll, loadBullmq, track, until, type BullmqMajor } from '../../support/bullmqWorkers.js';
import { buildScenario, bullmqReport, scenarioQueues, type BullmqScenario } from './bullmqScenario.js';

/**
 * The probe against real BullMQ 6 and 5 workers: every figure equals what BullMQ's own
 * Queue.getJobCounts() / getWorkers() / getJob() report at the same moment.
 */
let redis: PrivateRedis;
let pool: IoRedisPool;
beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'bullmq-test' });
});
afterAll(async () => {
  await closeAll();
  await pool?.close();
  await redis?.stop();
});

function contextOf(db: number, now = Date.now()): ProbeContext {
  return { connectionId: 'test', redis: pool.reader(db), now, rateWindowMs: 600_000, config: {} };
}

async function readAll(ctx: ProbeContext): Promise<{ namespaces: ProbeNamespace[]; readings: ProbeReading[] }> {
  const namespaces = await bullmqProbe.detect(ctx);
  const readings: ProbeReading[] = [];
  for (const ns of namespaces) readings.push(await bullmqProbe.poll(ctx, ns, await bullmqProbe.discover(ctx, ns), null, null));
  return { namespaces, readings };
}

function figures(readings: ProbeReading[], queue: string): Record<string, unknown> {
  const q = readings.flatMap((r) => r.queues).find((x) => x.queue === queue)!;
  return {
    waiting: q.waiting, scheduled: q.scheduled, reserved: q.reserved, running: q.running, failed: q.failed,
    dead: q.dead, retrying: q.retrying, oldestWaitingAt: q.oldestWaitingAt,
    'workers.online': q.workers.online, 'workers.busy': q.workers.busy, 'workers.offline': q.workers.offline,
  };
}

for (const [major, db] of [['6', 1], ['5', 2]] as [BullmqMajor, number][]) {
  describe(`BullMQ ${bullmqVersion(major)}`, () => {
    let scenario: BullmqScenario;
    beforeAll(async () => { scenario = await buildScenario(redis, db, major); });
    afterAll(async () => { scenario?.release(); await closeAll(); });

    it('finds both prefixes by their keys, without relying on :meta', async () => {
      const ctx = contextOf(db);
      expect((await bullmqProbe.detect(ctx)).map((n) => n.prefix)).toEqual(['bull', 'myapp']);
      // Without meta hashes (older writers, or removed): :id and :events still tell the queues.
      const scratch = db + 8;
      for (const q of ['emails', 'reports']) {
        for (const key of [`bull:${q}:id`, `bull:${q}:events`]) redis.cli(['COPY', key, key, 'DB', String(scratch)], db);
      }
      const other = contextOf(scratch);
      const [ns] = await bullmqProbe.detect(other);
      expect(ns?.prefix).toBe('bull');
      expect((await bullmqProbe.discover(other, ns!)).queues).toEqual(['emails', 'reports']);
    });

    it('every figure equals what BullMQ reports', async () => {
      const { readings, namespaces } = await readAll(contextOf(db));
      expect(namespaces).toHaveLength(2);
      for (const { prefix, queue } of scenario.queues) {
        expect(figures(readings, queue.name), `${prefix}:${queue.name}`).toEqual(await bullmqReport(redis, db, prefix, queue));
      }
      expect(readings.flatMap((r) => r.queues).map((q) => q.queue).sort()).toEqual([...scenarioQueues].sort());
      const emails = readings[0]!.queues.find((q) => q.queue === 'emails')!;
      // Exact numbers the scenario made, besides BullMQ's own view.
      expect([emails.waiting, emails.scheduled, emails.running, emails.failed]).toEqual([5, 3, 1, 1]);
      expect(readings.find((r) => r.queues.some((q) => q.queue === 'reports'))!.queues.find((q) => q.queue === 'reports')!.notes.waiting).toMatch(/paused/);
      expect(readings[1]!.queues.find((q) => q.queue === 'thumbs')!.notes.waiting).toMatch(/1 flow parent waiting for children/);
      const workers = readings[0]!.workers!;
      expect(workers.map((w) => [w.name.replace(/@.*/, '@'), w.queues, w.busy, w.currentTask]).sort()).toEqual([
        ['bw1', ['emails'], true, scenario.ids.slow], ['unnamed@', ['reports'], false, null]]);
    });

    it('a poll is one round trip of O(1) commands', async () => {
      const ctx = contextOf(db);
      for (const ns of await bullmqProbe.detect(ctx)) {
        const discovery = await bullmqProbe.discover(ctx, ns);
        const before = { ...pool.traffic };
        await bullmqProbe.poll(ctx, ns, discovery, null, null);
        expect(pool.traffic.roundTrips - before.roundTrips).toBe(1);
        expect(pool.traffic.commands - before.commands).toBe(discovery.queues.length * 13 + 1);
      }
    });

    it('a user without CLIENT: workers null with the reason, counts unchanged', async () => {
      redis.cli(['ACL', 'SETUSER', 'noclient', 'on', '>pw', '~*', '&*', '+@all', '-client']);
      const locked = new IoRedisPool({ target: parseRedisUrl(`redis://noclient:pw@127.0.0.1:${redis.port}`), label: 'locked' });
      try {
        const ctx: ProbeContext = { ...contextOf(db), redis: locked.reader(db) };
        const { readings } = await readAll(ctx);
        for (const r of readings) {
          expect(r.workers).toBeNull();
          expect(r.degraded).toMatch(/CLIENT LIST refused \(NOPERM\)/);
        }
        const emails = readings[0]!.queues.find((q) => q.queue === 'emails')!;
        expect(emails.workers).toEqual({ online: null, busy: null, offline: null });
        expect(emails.notes.workers).toMatch(/NOPERM/);
        const report = await bullmqReport(redis, db, 'bull', scenario.queues[0]!.queue);
        expect(emails.waiting).toBe(report.waiting);
        expect(emails.failed).toBe(report.failed);
      } finally {
        await locked.close();
      }
    });

    it('task detail equals what BullMQ keeps for the job', async () => {
      const ctx = contextOf(db);
      const [ns] = await bullmqProbe.detect(ctx);
      const emails = scenario.queues[0]!.queue;
      const failed = (await bullmqProbe.getTask!(ctx, ns!, `emails:${scenario.ids.fail}`, null))!;
      const job = (await emails.getJob(scenario.ids.fail))!;
      expect(failed).toMatchObject({
        id: scenario.ids.fail, framework: 'bullmq', queue: 'emails', name: 'fail', state: 'failed',
        args: [job.data], enqueuedAt: job.timestamp, startedAt: job.processedOn, finishedAt: job.finishedOn,
        worker: 'bw1', retries: 0, result: null, progress: job.progress,
        attempts: { made: job.attemptsMade, started: job.attemptsStarted, max: 1 },
        error: { type: 'Error', message: job.failedReason, traceback: job.stacktrace!.at(-1) },
        logs: (await emails.getJobLogs(job.id!)).logs, scheduledAt: null,
      });
      const flaky = (await bullmqProbe.getTask!(ctx, ns!, scenario.ids.flaky, null))!;
      const flakyJob = (await emails.getJob(scenario.ids.flaky))!;
      expect(flaky).toMatchObject({ state: 'succeeded', retries: 1, result: flakyJob.returnvalue, options: flakyJob.opts });
      expect(flaky.attempts).toEqual({ made: 2, started: 2, max: 2 });
      expect(flaky.logs).toEqual((await emails.getJobLogs(flakyJob.id!)).logs);

      const retry = (await bullmqProbe.getTask!(ctx, ns!, scenario.ids.retryLater, null))!;
      expect(retry.state).toBe('retrying');
      expect(retry.retries).toBe(1);
      expect(await emails.getJobState(scenario.ids.retryLater)).toBe('delayed');

      const delayedJob = (await emails.getJob(scenario.ids.delayed))!;
      const delayed = (await bullmqProbe.getTask!(ctx, ns!, scenario.ids.delayed, null))!;
      expect(delayed.state).toBe('scheduled');
      expect(delayed.scheduledAt).toBe(delayedJob.timestamp + delayedJob.opts.delay!);

      expect((await bullmqProbe.getTask!(ctx, ns!, scenario.ids.slow, null))!.state).toBe('running');
      const nextId = redis.cli(['LINDEX', 'bull:emails:wait', '-1'], db);
      const next = (await bullmqProbe.getTask!(ctx, ns!, `emails:${nextId}`, null))!;
      expect(next).toMatchObject({ state: 'waiting', retries: 0, attempts: { made: 0, started: 0, max: 1 }, startedAt: null, worker: null, logs: [] });
      expect(await emails.getJobState(nextId)).toBe('waiting');
      expect(await bullmqProbe.getTask!(ctx, ns!, 'no-such-job', null)).toBeNull();
    });

    it('sample: the finished jobs BullMQ keeps, with their own timestamps', async () => {
      const now = Date.now();
      const ctx = contextOf(db, now);
      const [ns] = await bullmqProbe.detect(ctx);
      const samples = await bullmqProbe.sample!(ctx, ns!, await bullmqProbe.discover(ctx, ns!));
      const emails = scenario.queues[0]!.queue;
      const finished = [...(await emails.getCompleted()).map((j) => ({ j, ok: true })), ...(await emails.getFailed()).map((j) => ({ j, ok: false }))];
      const expected = finished.map(({ j, ok }) => ({ enqueuedAt: j.timestamp + (j.delay ?? 0), startedAt: j.processedOn, finishedAt: j.finishedOn, succeeded: ok }))
        .sort((a, b) => a.finishedAt! - b.finishedAt!);
      const sample = samples.find((s) => s.queue === 'emails')!;
      expect(sample).toMatchObject({ fromAt: now - 600_000, toAt: now, truncated: false });
      expect(sample.tasks).toEqual(expected);
      expect(sample.tasks.filter((t) => !t.succeeded)).toHaveLength(1);
    });

    it('sample: completions removed by removeOnComplete still count, from the events stream', async () => {
      const { Queue, Worker } = loadBullmq(major);
      const connection = { host: '127.0.0.1', port: redis.port, db };
      const purged = track(new Queue('purged', { connection }));
      const done: number[] = [];
      const worker = track(new Worker('purged', async () => 'x', { connection, name: 'pw' }));
      worker.on('completed', () => done.push(Date.now()));
      for (const n of [1, 2, 3]) await purged.add('p', { n }, { removeOnComplete: true });
      await until(() => done.length === 3, 'three completions');
      await worker.close();
      expect((await purged.getJobCounts('completed')).completed).toBe(0);
      const ctx = contextOf(db);
      const [ns] = await bullmqProbe.detect(ctx);
      const sample = (await bullmqProbe.sample!(ctx, ns!, await bullmqProbe.discover(ctx, ns!))).find((s) => s.queue === 'purged')!;
      const events = redis.cli(['XRANGE', 'bull:purged:events', '-', '+'], db).split('\n');
      const completedAt = events.flatMap((line, i) => (line === 'completed' ? [Number(events[i - 2]!.split('-')[0])] : []));
      expect(sample.tasks.map((t) => [t.finishedAt, t.succeeded])).toEqual(completedAt.map((at) => [at, true]));
      expect(sample.tasks.every((t) => t.startedAt !== null)).toBe(true);
    });

    it('sample: a set trimmed by removeOnComplete {count} is completed from the events stream', async () => {
      const { Queue, Worker } = loadBullmq(major);
      const connection = { host: '127.0.0.1', port: redis.port, db };
      const trimmed = track(new Queue('trimmed', { connection }));
      const worker = track(new Worker('trimmed', async () => 'x', { connection }));
      let done = 0;
      worker.on('completed', () => { done += 1; });
      for (const n of [1, 2, 3, 4, 5]) await trimmed.add('t', { n }, { removeOnComplete: { count: 2 } });
      await until(() => done === 5, 'five completions');
      await worker.close();
      expect((await trimmed.getJobCounts('completed')).completed).toBe(2);
      const now = Date.now();
      const ctx = contextOf(db, now);
      const [ns] = await bullmqProbe.detect(ctx);
      const sample = (await bullmqProbe.sample!(ctx, ns!, await bullmqProbe.discover(ctx, ns!))).find((s) => s.queue === 'trimmed')!;
      const kept = await trimmed.getCompleted();
      expect(sample.tasks).toHaveLength(5);
      expect(sample).toMatchObject({ fromAt: now - 600_000, truncated: false });
      // The two BullMQ kept carry their own timestamps.
      for (const j of kept) expect(sample.tasks).toContainEqual({ enqueuedAt: j.timestamp, startedAt: j.processedOn, finishedAt: j.finishedOn, succeeded: true });
    });
  });
}
