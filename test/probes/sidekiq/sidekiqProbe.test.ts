import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { computeQueueFigures } from '../../../src-main/core/metrics/queueFigures.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { ProbeContext, ProbeNamespace, ProbeReading, QueueReading } from '../../../src-main/probes/probe.js';
import { sidekiqProbe, type SidekiqDiscovery } from '../../../src-main/probes/sidekiq/sidekiqProbe.js';
import { staleBeatMs } from '../../../src-main/probes/sidekiq/sidekiqProcesses.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/rqWorkers.js';
import {
  destroyAllSidekiqs, sidekiqEnqueue, sidekiqFindJob, sidekiqReport, startSidekiq, type SidekiqProcess, type SidekiqReport,
} from '../../support/sidekiqWorkers.js';

/**
 * The Sidekiq probe against real Sidekiq 6.4.1 processes (Debian's ruby-sidekiq). Every figure
 * is compared with Sidekiq's own API (Stats, Queue#size/#latency, the sets, ProcessSet, Workers)
 * read independently by test/support/ruby/sidekiq/tool.rb.
 */
let redis: PrivateRedis;
let pool: IoRedisPool;
let main: SidekiqProcess;
const jids: Record<string, string> = {};
const ns = (db: number): ProbeNamespace => ({ framework: 'sidekiq', db, prefix: '', source: 'test' });
const ctxOf = (db: number, now = Date.now()): ProbeContext =>
  ({ connectionId: 'test', redis: pool.reader(db), now, rateWindowMs: 600_000, config: {} });

async function pollDb(db: number, now = Date.now(), previous: ProbeReading | null = null) {
  const discovery: SidekiqDiscovery = await sidekiqProbe.discover(ctxOf(db, now), ns(db));
  const before = pool.traffic.roundTrips;
  const reading = await sidekiqProbe.poll(ctxOf(db, now), ns(db), discovery, null, previous);
  return { discovery, reading, roundTrips: pool.traffic.roundTrips - before };
}

const settled = (db: number, check: (r: SidekiqReport) => boolean) => () => check(sidekiqReport(redis, db));
const queueOf = (reading: ProbeReading, q: string): QueueReading => reading.queues.find((x) => x.queue === q)!;

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
  main = await startSidekiq(redis, { db: 1, queues: ['default', 'other'], tag: 'live-main', concurrency: 3 });
  const [ok1, , , retry1, retry2, dead1, sleeper, later1, later2, wait1] = sidekiqEnqueue(redis, 1, [
    { class: 'OkJob', args: [1] }, { class: 'OkJob', args: [2] }, { class: 'OkJob', args: [3] },
    { class: 'RetryJob', args: ['boom 1'] }, { class: 'RetryJob', args: ['boom 2'], queue: 'other' },
    { class: 'DeadJob', args: ['gone'] },
    { class: 'SleepJob', args: [120], queue: 'other' },
    { class: 'OkJob', args: [4], in: 3600 }, { class: 'OkJob', args: [5], queue: 'other', in: 7200 },
    { class: 'OkJob', args: [6], queue: 'backlog' },
  ]);
  Object.assign(jids, { ok1, retry1, retry2, dead1, sleeper, later1, later2, wait1 });
  // Counters reach Redis with the next heartbeat (every 5 s in 6.x).
  await waitFor(settled(1, (r) => r.stats.processed === 6 && r.stats.retry === 2 && r.stats.dead === 1 && r.workers.length === 1),
    'the jobs to run and the counters to be flushed', undefined, () => main.log());
  // Seconds after wait1: the tail (oldest) and the head of the backlog differ in enqueued_at.
  sidekiqEnqueue(redis, 1, [{ class: 'OkJob', args: [7], queue: 'backlog' }]);
}, 60_000);

afterAll(async () => {
  await destroyAllSidekiqs();
  await pool?.close();
  await redis?.stop();
});

describe('sidekiq probe against real Sidekiq 6.4.1 processes', () => {
  it('detects Sidekiq where its keys are, and nothing in an empty database', async () => {
    expect(await sidekiqProbe.detect(ctxOf(1))).toEqual([{ framework: 'sidekiq', db: 1, prefix: '', source: 'detected from stat:processed' }]);
    expect(await sidekiqProbe.detect(ctxOf(9))).toEqual([]);
  });

  it('polls in one round trip; every figure equals what Sidekiq itself reports', async () => {
    const { discovery, reading, roundTrips } = await pollDb(1);
    const report = sidekiqReport(redis, 1);
    expect(roundTrips).toBe(1);
    expect(discovery.queues).toEqual(Object.keys(report.queues).sort());
    expect(discovery.queues).toEqual(['backlog', 'default', 'other']);
    for (const q of discovery.queues) {
      const r = queueOf(reading, q);
      expect({ q, waiting: r.waiting, scheduled: r.scheduled, retrying: r.retrying, dead: r.dead, running: r.running, reserved: r.reserved, failed: r.failed }).toEqual({
        q,
        waiting: report.queues[q]!.size,
        scheduled: report.scheduled_by_queue[q] ?? 0,
        retrying: report.retry_by_queue[q] ?? 0,
        dead: report.dead_by_queue[q] ?? 0,
        running: report.workers.filter((w) => w.queue === q).length,
        reserved: null,
        failed: null,
      });
    }
    // Totals, as Stats reports them.
    const sum = (f: (q: QueueReading) => number | null) => reading.queues.reduce((n, q) => n + (f(q) ?? 0), 0);
    expect([sum((q) => q.waiting), sum((q) => q.scheduled), sum((q) => q.retrying), sum((q) => q.dead), sum((q) => q.running)])
      .toEqual([report.stats.enqueued, report.stats.scheduled, report.stats.retry, report.stats.dead, report.stats.workers]);
    expect([report.stats.enqueued, report.stats.scheduled, report.stats.retry, report.stats.dead, report.stats.workers]).toEqual([2, 2, 2, 1, 1]);
    expect(queueOf(reading, 'default').notes.failed).toContain(`(${report.stats.failed} all-time)`);
    expect(reading.errors).toEqual([]);
  });

  it('oldest waiting age equals Queue#latency (enqueued_at of the tail job, epoch seconds)', async () => {
    const { reading } = await pollDb(1);
    const report = sidekiqReport(redis, 1);
    // Queue#latency is Time.now - enqueued_at; `at` is the clock read right after it (microseconds later).
    const backlog = report.queues.backlog!;
    const enqueuedAtMs = (backlog.at - backlog.latency) * 1000;
    expect(Math.abs(queueOf(reading, 'backlog').oldestWaitingAt! - enqueuedAtMs)).toBeLessThanOrEqual(2);
    // The tail job is the first pushed: wait1, not the later one.
    const tail = JSON.parse(redis.cli(['LINDEX', 'queue:backlog', '-1'], 1)) as { jid: string; enqueued_at: number };
    expect(tail.jid).toBe(jids.wait1);
    expect(queueOf(reading, 'backlog').oldestWaitingAt).toBe(Math.round(tail.enqueued_at * 1000));
    const head = JSON.parse(redis.cli(['LINDEX', 'queue:backlog', '0'], 1)) as { enqueued_at: number };
    expect(tail.enqueued_at).toBeLessThan(head.enqueued_at - 1);
    expect(queueOf(reading, 'default').oldestWaitingAt).toBeNull();
  });

  it('workers: the process from ProcessSet, online from its beat, busy as Workers says', async () => {
    const now = Date.now();
    const { reading } = await pollDb(1, now);
    const report = sidekiqReport(redis, 1);
    expect(reading.workers).toHaveLength(report.processes.length);
    const p = report.processes[0]!;
    expect(reading.workers![0]).toMatchObject({
      name: p.identity, framework: 'sidekiq', state: 'online', busy: p.busy > 0,
      currentTask: jids.sleeper, queues: p.queues, pid: main.pid,
    });
    expect(p.identity).toBe(main.identity);
    expect(Math.abs(reading.workers![0]!.lastSeenAt! - p.beat * 1000)).toBeLessThanOrEqual(5500);
    expect(queueOf(reading, 'other').workers).toEqual({ online: 1, busy: 1, offline: 0 });
    expect(queueOf(reading, 'backlog').workers).toEqual({ online: 0, busy: 0, offline: 0 });
  });

  it('task detail by jid: running, retrying, dead, scheduled, waiting, as Sidekiq finds them', async () => {
    const ctx = ctxOf(1);
    const retry = await sidekiqProbe.getTask!(ctx, ns(1), jids.retry1!, null);
    const own = sidekiqFindJob(redis, 1, jids.retry1!)!;
    expect(retry).toMatchObject({
      id: jids.retry1, framework: 'sidekiq', state: 'retrying', queue: own.queue, name: own.class, args: own.args,
      retries: own.retry_count, enqueuedAt: Math.round((own.enqueued_at as number) * 1000),
      error: { type: own.error_class, message: own.error_message },
    });
    expect(retry!.error!.traceback).toContain('app.rb');
    expect((await sidekiqProbe.getTask!(ctx, ns(1), jids.dead1!, null))).toMatchObject({ state: 'dead', error: { type: 'KeyError', message: 'gone' } });
    expect((await sidekiqProbe.getTask!(ctx, ns(1), jids.sleeper!, null))).toMatchObject({ state: 'running', worker: main.identity, queue: 'other', name: 'SleepJob' });
    expect((await sidekiqProbe.getTask!(ctx, ns(1), jids.later2!, null))).toMatchObject({ state: 'scheduled', queue: 'other', enqueuedAt: null });
    expect((await sidekiqProbe.getTask!(ctx, ns(1), jids.wait1!, null))).toMatchObject({ state: 'waiting', queue: 'backlog', args: [6] });
    // A job that succeeded leaves no trace in Sidekiq.
    expect(sidekiqFindJob(redis, 1, jids.ok1!)).toBeNull();
    expect(await sidekiqProbe.getTask!(ctx, ns(1), jids.ok1!, null)).toBeNull();
    expect(await sidekiqProbe.getTask!(ctx, ns(1), '*', null)).toBeNull();
  });

  it('throughput: null on the first poll, then the change of stat:processed between polls', async () => {
    const solo = await startSidekiq(redis, { db: 2, queues: ['solo'], tag: 'live-solo' });
    sidekiqEnqueue(redis, 2, [{ class: 'OkJob', queue: 'solo' }]);
    await waitFor(settled(2, (r) => r.stats.processed === 1), 'the first job to be counted', undefined, () => solo.log());
    const first = await pollDb(2, Date.now());
    const figuresOf = (reading: ProbeReading) => computeQueueFigures({
      connection: 'test', framework: 'sidekiq', namespace: 'db2', takenAt: reading.takenAt, reading: reading.queues[0]!, trend: [],
    });
    expect(figuresOf(first.reading).throughputPerMin).toBeNull();
    expect(figuresOf(first.reading).notes.throughputPerMin).toMatch(/^needs a second poll/);

    sidekiqEnqueue(redis, 2, [
      { class: 'OkJob', queue: 'solo' }, { class: 'OkJob', queue: 'solo' }, { class: 'OkJob', queue: 'solo' },
      { class: 'DeadJob', queue: 'solo', args: ['x'] },
    ]);
    await waitFor(settled(2, (r) => r.stats.processed === 5 && r.stats.failed === 1), 'four more jobs to be counted', undefined, () => solo.log());
    const second = await pollDb(2, Date.now(), first.reading);
    const figures = figuresOf(second.reading);
    const spanMs = second.reading.takenAt - first.reading.takenAt;
    expect(figures.throughputPerMin).toBe(Math.round((4 * 60_000 * 100) / spanMs) / 100);
    expect(figures.successRatio).toBe(0.75);
    expect(figures.waitLatencyMs).toBeNull();
    expect(figures.notes.throughputPerMin).toMatch(/^from the change of stat:processed over \d+ s/);

    // Several queues share one counter: per queue it cannot be told, and the note says the total.
    const many = await pollDb(1, Date.now(), (await pollDb(1, Date.now() - 10_000)).reading);
    expect(queueOf(many.reading, 'default').finished).toBeUndefined();
    expect(queueOf(many.reading, 'default').notes.throughputPerMin).toMatch(/whole namespace, not per queue: 0\/min over all 3 queues/);
    await solo.stop();
  }, 60_000);

  it('liveness from the beat age: killed → offline once the beat is stale, though its hash remains; stopped → gone', async () => {
    const killed = await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'live-killed' });
    const stopped = await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'live-stopped' });
    const alive = await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'live-alive' });
    const discovery = await sidekiqProbe.discover(ctxOf(3), ns(3));
    expect(discovery.processes).toEqual([killed.identity, stopped.identity, alive.identity].sort());
    await killed.kill();
    await stopped.stop();

    const report = sidekiqReport(redis, 3);
    // Sidekiq's ProcessSet still lists the killed process (its hash lives 60 s); the stopped one left.
    expect(report.processes.map((p) => p.identity).sort()).toEqual([killed.identity, alive.identity].sort());
    const killedBeat = report.processes.find((p) => p.identity === killed.identity)!.beat * 1000;

    const state = async (now: number) => {
      const reading = await sidekiqProbe.poll(ctxOf(3, now), ns(3), discovery, null, null);
      return { reading, states: Object.fromEntries(reading.workers!.map((w) => [w.name, w.state])) };
    };
    const fresh = await state(Math.round(killedBeat) + 1000);
    expect(fresh.states).toEqual({ [killed.identity]: 'online', [alive.identity]: 'online' });
    expect(fresh.reading.membershipChanged).toBe(true); // the stopped one left `processes`

    // Judged 31 s after the killed process's last beat, once the live one has beaten since.
    const beatOf = (id: string) => Number(redis.cli(['HGET', id, 'beat'], 3)) * 1000;
    await waitFor(() => beatOf(alive.identity) >= killedBeat + 2000, 'the live process to beat after the kill');
    const later = Math.round(killedBeat) + staleBeatMs + 1000;
    expect(redis.cli(['EXISTS', killed.identity], 3)).toBe('1');
    const stale = await state(later);
    expect(stale.states).toEqual({ [killed.identity]: 'offline', [alive.identity]: 'online' });
    expect(stale.states[stopped.identity]).toBeUndefined();
    expect(stale.reading.workers!.find((w) => w.name === killed.identity)).toMatchObject({ busy: null, lastSeenAt: Math.round(killedBeat) });
    expect(queueOf(stale.reading, 'default').workers.offline).toBe(1);
    await alive.stop();
  }, 60_000);
});
