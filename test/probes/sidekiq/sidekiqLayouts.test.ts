import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { ProbeContext, ProbeNamespace, ProbeReading } from '../../../src-main/probes/probe.js';
import { sidekiqProbe } from '../../../src-main/probes/sidekiq/sidekiqProbe.js';
import { splitBound } from '../../../src-main/probes/sidekiq/sidekiqSets.js';
import { listFixtures, loadFixture, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/** The recorded layouts beyond the contract's figures: namespaces, 8.x units, stale processes, untrusted data, big sets. */
let redis: PrivateRedis;
let pool: IoRedisPool;
const fixtures = listFixtures('sidekiq');
const fixture = (name: string): RedisFixture => fixtures.find((f) => `${f.version}-${f.scenario}` === name)!;
const ns = (db: number, prefix = ''): ProbeNamespace => ({ framework: 'sidekiq', db, prefix, source: 'test' });
const ctxOf = (db: number, now: number): ProbeContext => ({ connectionId: 'test', redis: pool.reader(db), now, rateWindowMs: 600_000, config: {} });

async function load(db: number, name: string): Promise<RedisFixture> {
  redis.cli(['FLUSHDB'], db);
  const f = fixture(name);
  await loadFixture(redis.url(), f, db);
  return f;
}

async function poll(db: number, now: number, prefix = '', previous: ProbeReading | null = null): Promise<ProbeReading> {
  const discovery = await sidekiqProbe.discover(ctxOf(db, now), ns(db, prefix));
  return sidekiqProbe.poll(ctxOf(db, now), ns(db, prefix), discovery, null, previous);
}

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
});
afterAll(async () => {
  await pool?.close();
  await redis?.stop();
});

describe('sidekiq layouts', () => {
  it('detects a redis-namespace prefix, and not RQ\'s rq:queues set', async () => {
    const f = await load(1, '6.4-namespace-busy');
    expect(await sidekiqProbe.detect(ctxOf(1, f.recordedAt))).toEqual([{ framework: 'sidekiq', db: 1, prefix: 'app:', source: 'detected from app:stat:processed' }]);
    const reading = await poll(1, f.recordedAt, 'app:');
    expect(reading.queues.map((q) => q.queue)).toEqual(['default', 'mailers', 'reports']);
  });

  it('two namespaces in one database are two sets of queues; a configured prefix is added', async () => {
    const f = fixture('6.4-idle');
    redis.cli(['FLUSHDB'], 2);
    await loadFixture(redis.url(), f, 2);
    await loadFixture(redis.url(), fixture('6.4-namespace-busy'), 2);
    const found = await sidekiqProbe.detect({ ...ctxOf(2, f.recordedAt), config: { keyPrefix: 'other:' } });
    expect(found.map((n) => [n.prefix, n.source])).toEqual([['', 'detected from stat:processed'], ['app:', 'detected from app:stat:processed'], ['other:', 'configured']]);
    expect((await poll(2, f.recordedAt, '')).queues.map((q) => q.queue)).toEqual(['default']);
  });

  it('8.x: integer-ms job times are read as ms, 6.4 float seconds as seconds (same instant)', async () => {
    const v6 = await load(3, '6.4-busy');
    const six = (await poll(3, v6.recordedAt)).queues.find((q) => q.queue === 'reports')!.oldestWaitingAt!;
    await load(3, '8.1-busy');
    const eight = (await poll(3, v6.recordedAt)).queues.find((q) => q.queue === 'reports')!.oldestWaitingAt!;
    expect(Math.abs(six - eight)).toBeLessThanOrEqual(1);
    expect(six).toBeGreaterThan(1.7e12);
    const retry = JSON.parse(redis.cli(['ZRANGE', 'retry', '0', '0'], 3)) as { jid: string; enqueued_at: number; failed_at: number };
    expect(Number.isInteger(retry.enqueued_at)).toBe(true);
    const task = await sidekiqProbe.getTask!(ctxOf(3, v6.recordedAt), ns(3), retry.jid, null);
    expect(task).toMatchObject({ state: 'retrying', enqueuedAt: retry.enqueued_at, retries: 0 });
    expect(task!.error!.traceback).toContain('app.rb');
  });

  it('a process whose hash expired while it stays in `processes` is offline, and its work is not running', async () => {
    const f = await load(4, '6.4-crashed');
    const killed = f.keys.find((k) => k.type === 'hash' && JSON.stringify(k.fields).includes('rec-killed'))!.key as string;
    const discovery = await sidekiqProbe.discover(ctxOf(4, f.recordedAt), ns(4));
    const before = await sidekiqProbe.poll(ctxOf(4, f.recordedAt), ns(4), discovery, null, null);
    redis.cli(['DEL', killed], 4);
    // The queues it listened on are remembered from discovery and the previous poll: its info is gone.
    const reading = await sidekiqProbe.poll(ctxOf(4, f.recordedAt + 5000), ns(4), discovery, null, before);
    expect(reading.workers!.find((w) => w.name === killed)).toMatchObject({ state: 'offline', busy: null, lastSeenAt: null });
    expect(reading.queues[0]).toMatchObject({ running: 0, workers: { online: 1, busy: 0, offline: 1 } });
    expect(reading.queues[0]!.notes.workers).toMatch(/1 job still listed by offline processes is not counted/);
  });

  it('a hash without a beat is offline: existence is never liveness', async () => {
    const f = await load(5, '6.4-idle');
    const id = redis.cli(['SMEMBERS', 'processes'], 5);
    redis.cli(['HDEL', id, 'beat'], 5);
    redis.cli(['PERSIST', id], 5);
    expect((await poll(5, f.recordedAt)).workers![0]!.state).toBe('offline');
  });

  it('bad data is an item error: a tail job that is not JSON, a work entry, a set member', async () => {
    const f = await load(6, '6.4-busy');
    redis.cli(['RPUSH', 'queue:reports', 'not json'], 6);
    redis.cli(['ZADD', 'retry', '1', '{broken'], 6);
    const reading = await poll(6, f.recordedAt);
    const reports = reading.queues.find((q) => q.queue === 'reports')!;
    expect(reports.waiting).toBe(4);
    expect(reports.oldestWaitingAt).toBeUndefined();
    expect(reading.errors.map((e) => e.item).sort()).toEqual(['queue:reports', 'retry']);
  });

  it(`a set bigger than ${splitBound} is not split by queue: null with the total, or all of it for an only queue`, async () => {
    const f = await load(7, '6.4-busy');
    const members: string[] = [];
    for (let i = 0; i < splitBound; i += 1) members.push('1', JSON.stringify({ jid: `j${i}`, queue: 'default', class: 'OkJob', args: [] }));
    redis.cli(['ZADD', 'dead', ...members], 7);
    const first = await poll(7, f.recordedAt);
    expect(first.queues.find((q) => q.queue === 'default')!.dead).toBeNull();
    expect(first.queues.find((q) => q.queue === 'default')!.notes.dead).toMatch(/^201 in the dead set of this namespace/);
    // The next poll does not even read the members (the previous count says they are too many).
    const second = await poll(7, f.recordedAt + 5000, '', first);
    expect(second.queues.find((q) => q.queue === 'mailers')!.dead).toBeNull();
    expect(second.queues.find((q) => q.queue === 'mailers')!.retrying).toBe(1);
  });

  it('throughput starts over when the counters go back (Stats#reset, a flushed Redis)', async () => {
    const f = await load(8, '6.4-idle');
    const first = await poll(8, f.recordedAt);
    redis.cli(['SET', 'stat:processed', '0'], 8);
    const second = await poll(8, f.recordedAt + 5000, '', first);
    expect(second.queues[0]!.finished).toBeUndefined();
    expect(second.queues[0]!.notes.throughputPerMin).toMatch(/^needs a second poll/);
  });
});
