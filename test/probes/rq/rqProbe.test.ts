import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { ProbeContext, ProbeReading } from '../../../src-main/probes/probe.js';
import { rqProbe, type RqDiscovery } from '../../../src-main/probes/rq/rqProbe.js';
import { parseIsoTime } from '../../../src-main/probes/shared/time.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool } from '../../support/rqWorkers.js';
import { runRqScenario, type RqScenario } from './rqScenario.js';

interface RqReport {
  queues: Record<string, { waiting: number; scheduled: number; failed: number; running: number; finished: number }>;
  workers: { name: string; state: string; queues: string[]; current_job: string | null }[];
}

let redis: PrivateRedis;
let pool: IoRedisPool;
let scenario: RqScenario;
const ns = (db: number) => ({ framework: 'rq' as const, db, prefix: '', source: 'test' });
const ctxOf = (db: number, now = Date.now(), p = pool): ProbeContext =>
  ({ connectionId: 'test', redis: p.reader(db), now, rateWindowMs: 600_000, config: {} });

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
  scenario = await runRqScenario(redis);
});

afterAll(async () => {
  await destroyAllRqWorkers();
  await pool?.close();
  await redis?.stop();
});

/** detect → discover → poll, returning the round trips the poll alone took. */
async function pollDb(db: number, now: number, p = pool): Promise<{ discovery: RqDiscovery; reading: ProbeReading; roundTrips: number }> {
  const discovery = await rqProbe.discover(ctxOf(db, now, p), ns(db));
  const before = p.traffic.roundTrips;
  const reading = await rqProbe.poll(ctxOf(db, now, p), ns(db), discovery, null, null);
  return { discovery, reading, roundTrips: p.traffic.roundTrips - before };
}

describe('rq probe against real RQ 1.13 workers', () => {
  it('detects RQ where its keys are, and nothing in an empty database', async () => {
    expect(await rqProbe.detect(ctxOf(1))).toEqual([{ framework: 'rq', db: 1, prefix: '', source: 'detected from rq:queues / rq:workers' }]);
    expect(await rqProbe.detect(ctxOf(3))).toEqual([]);
  });

  it('discovers queues, registered workers and the RQ version', async () => {
    const discovery = await rqProbe.discover(ctxOf(1), ns(1));
    expect(discovery.queues).toEqual(['idle', 'slow', 'spare', 'work']);
    // w-stopped shut down cleanly and left rq:workers; the killed one stays registered.
    expect(discovery.workers).toEqual(['w-killed', 'w-main', 'w-slow']);
    expect(discovery.registeredQueueCount).toBe(3); // spare: never used, only listened on
    expect(discovery.workerQueues).toEqual({ 'w-killed': ['spare'], 'w-main': ['work'], 'w-slow': ['slow'] });
    expect(discovery.layout).toEqual({ version: '1.13.0', hasIntermediate: false, source: 'RQ 1.13.0, from the worker hashes' });
  });

  it('polls every count in one round trip, equal to redis-cli and to RQ itself', async () => {
    const now = Date.now();
    const nowS = Math.floor(now / 1000);
    const { reading, roundTrips } = await pollDb(1, now);
    expect(roundTrips).toBe(1);
    const cli = (args: string[]) => Number(redis.cli(args, 1));
    const rq = rqTool<RqReport>(redis, 1, 'report', ['idle', 'slow', 'spare', 'work']);
    for (const q of ['idle', 'slow', 'spare', 'work']) {
      const figures = reading.queues.find((r) => r.queue === q)!;
      const independent = {
        waiting: cli(['LLEN', `rq:queue:${q}`]), scheduled: cli(['ZCARD', `rq:scheduled:${q}`]),
        running: cli(['ZCOUNT', `rq:wip:${q}`, `(${nowS}`, '+inf']), failed: cli(['ZCOUNT', `rq:failed:${q}`, `(${nowS}`, '+inf']),
      };
      expect({ waiting: figures.waiting, scheduled: figures.scheduled, running: figures.running, failed: figures.failed }).toEqual(independent);
      const { waiting, scheduled, running, failed } = rq.queues[q]!;
      expect(independent).toEqual({ waiting, scheduled, running, failed });
      expect({ reserved: figures.reserved, dead: figures.dead, retrying: figures.retrying }).toEqual({ reserved: null, dead: null, retrying: null });
      expect(Object.keys(figures.notes).sort()).toEqual(['dead', 'reserved', 'retrying']);
    }
    const byQueue = Object.fromEntries(reading.queues.map((r) => [r.queue, [r.waiting, r.scheduled, r.running, r.failed]]));
    expect(byQueue).toEqual({ idle: [3, 0, 0, 0], slow: [0, 0, 1, 0], spare: [0, 0, 0, 0], work: [0, 3, 0, 3] });
    expect(reading.queues[0]!.notes.reserved).toBe('RQ 1.13.0, from the worker hashes: before 1.15 RQ has no intermediate list, a popped job goes straight to started');
    expect(reading.errors).toEqual([]);
    expect(reading.degraded).toBeUndefined();
    expect(reading.membershipChanged).toBeUndefined();
  });

  it('oldest waiting: the enqueue time of the job at the head of the list', async () => {
    const { reading } = await pollDb(1, Date.now());
    const head = redis.cli(['LINDEX', 'rq:queue:idle', '0'], 1);
    expect(head).toBe(scenario.idle[0]);
    const enqueuedAt = parseIsoTime(redis.cli(['HGET', `rq:job:${head}`, 'enqueued_at'], 1));
    expect(reading.queues.find((r) => r.queue === 'idle')!.oldestWaitingAt).toBe(enqueuedAt);
    expect(reading.queues.find((r) => r.queue === 'work')!.oldestWaitingAt).toBeNull();
  });

  it('workers: busy, idle, killed (offline) and cleanly stopped (gone), as CLIENT LIST and RQ show', async () => {
    const now = Date.now();
    const { reading } = await pollDb(1, now);
    const clients = redis.cli(['CLIENT', 'LIST']);
    expect(clients).not.toContain('name=w-killed ');
    expect(clients).toContain('name=w-main ');
    const rq = rqTool<RqReport>(redis, 1, 'report', []);
    // RQ itself still lists the killed worker (its hash lives until the TTL ends), idle.
    expect(rq.workers.map((w) => [w.name, w.state])).toEqual([['w-killed', 'idle'], ['w-main', 'idle'], ['w-slow', 'busy']]);
    const workers = reading.workers!.map(({ name, state, busy, currentTask, queues, hostname, pid, framework, connection }) =>
      ({ name, state, busy, currentTask, queues, hasHost: hostname !== null, pid, framework, connection }));
    const pidOf = (name: string) => Number(redis.cli(['HGET', `rq:worker:${name}`, 'pid'], 1));
    expect(workers).toEqual([
      { name: 'w-killed', state: 'offline', busy: null, currentTask: null, queues: ['spare'], hasHost: true, pid: scenario.workers.killed.pid, framework: 'rq', connection: 'test' },
      { name: 'w-main', state: 'online', busy: false, currentTask: null, queues: ['work'], hasHost: true, pid: pidOf('w-main'), framework: 'rq', connection: 'test' },
      { name: 'w-slow', state: 'online', busy: true, currentTask: scenario.sleeper, queues: ['slow'], hasHost: true, pid: pidOf('w-slow'), framework: 'rq', connection: 'test' },
    ]);
    expect(reading.workers!.find((w) => w.name === 'w-main')!.lastSeenAt).toBe(now);
    expect(reading.workers!.find((w) => w.name === 'w-killed')!.lastSeenAt)
      .toBe(parseIsoTime(redis.cli(['HGET', 'rq:worker:w-killed', 'last_heartbeat'], 1)));
    const counts = Object.fromEntries(reading.queues.map((r) => [r.queue, r.workers]));
    expect(counts).toEqual({
      idle: { online: 0, busy: 0, offline: 0 }, slow: { online: 1, busy: 1, offline: 0 },
      spare: { online: 0, busy: 0, offline: 1 }, work: { online: 1, busy: 0, offline: 0 },
    });
  });

  it('a killed worker keeps the last time it was seen connected', async () => {
    const now = Date.now();
    const first = await pollDb(1, now);
    const second = await rqProbe.poll(ctxOf(1, now + 5_000), ns(1), first.discovery, null, first.reading);
    expect(second.workers!.find((w) => w.name === 'w-main')!.lastSeenAt).toBe(now + 5_000);
    expect((second.memo!.workers as { seenAt: Record<string, number> }).seenAt).toEqual({ 'w-main': now + 5_000, 'w-slow': now + 5_000 });
    // Had w-main been killed between the two polls, the memo would give its last sighting.
    const memo = { workers: { seenAt: { 'w-killed': now - 1_000 }, queuesOf: {} } };
    const third = await rqProbe.poll(ctxOf(1, now + 10_000), ns(1), first.discovery, null, { ...first.reading, memo });
    const heartbeat = parseIsoTime(redis.cli(['HGET', 'rq:worker:w-killed', 'last_heartbeat'], 1))!;
    expect(third.workers!.find((w) => w.name === 'w-killed')!.lastSeenAt).toBe(Math.max(now - 1_000, heartbeat));
  });

  it('the second database is its own set of queues and workers', async () => {
    const now = Date.now();
    const { discovery, reading } = await pollDb(2, now);
    expect(discovery.queues).toEqual(['other', 'work']);
    const rq = rqTool<RqReport>(redis, 2, 'report', ['other', 'work']);
    expect(reading.queues.map((r) => [r.queue, r.waiting, r.scheduled, r.running, r.failed])).toEqual(
      ['other', 'work'].map((q) => [q, rq.queues[q]!.waiting, rq.queues[q]!.scheduled, rq.queues[q]!.running, rq.queues[q]!.failed]));
    expect(reading.queues.map((r) => [r.queue, r.waiting, r.failed])).toEqual([['other', 1, 0], ['work', 0, 0]]);
    expect(reading.workers!.map((w) => [w.name, w.state])).toEqual([['w-db2', 'online']]);
    expect(reading.queues.find((r) => r.queue === 'work')!.workers).toEqual({ online: 1, busy: 0, offline: 0 });
  });

  it('a new worker name in rq:workers asks for discovery again', async () => {
    const discovery = await rqProbe.discover(ctxOf(1), ns(1));
    const stale = { ...discovery, workers: discovery.workers.filter((w) => w !== 'w-main') };
    const reading = await rqProbe.poll(ctxOf(1), ns(1), stale, null, null);
    expect(reading.membershipChanged).toBe(true);
  });

  it('without CLIENT permission: the same counts, liveness from key TTLs, and a degraded reason', async () => {
    redis.cli(['ACL', 'SETUSER', 'noclient', 'on', '>pw', '~*', '&*', '+@all', '-client']);
    const locked = new IoRedisPool({ target: parseRedisUrl(`redis://noclient:pw@127.0.0.1:${redis.port}`), label: 'locked' });
    try {
      const now = Date.now();
      const open = await pollDb(1, now);
      const { reading } = await pollDb(1, now, locked);
      expect(reading.queues.map(({ workers: _w, ...rest }) => rest)).toEqual(open.reading.queues.map(({ workers: _w, ...rest }) => rest));
      expect(reading.degraded).toContain('CLIENT LIST refused (NOPERM)');
      // What RQ itself says: the killed worker still has its hash, so it counts as online.
      expect(reading.workers!.map((w) => [w.name, w.state])).toEqual([['w-killed', 'online'], ['w-main', 'online'], ['w-slow', 'online']]);
    } finally {
      await locked.close();
    }
  });
});
