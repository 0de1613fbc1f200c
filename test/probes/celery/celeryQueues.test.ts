import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { celeryProbe } from '../../../src-main/probes/celery/celeryProbe.js';
import { sendTasks, type CeleryAppSettings } from '../../support/celeryWorkers.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { contextFor, llenAll, namespace, pollNamespace } from './celeryHarness.js';

/**
 * Waiting work as real Celery producers leave it, with no consumer: plain queues, priority
 * sub-queues, a broker global_keyprefix, other priority steps and separator, two databases.
 * Each figure is compared with LLEN read by redis-cli.
 */
describe('celery queues without workers', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  const plain: CeleryAppSettings = { brokerUrl: '' };
  const prefixed: CeleryAppSettings = { brokerUrl: '', keyPrefix: 'qlab:' };
  const steps: CeleryAppSettings = { brokerUrl: '', prioritySteps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], sep: ':' };

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    plain.brokerUrl = redis.url(1);
    prefixed.brokerUrl = redis.url(2);
    steps.brokerUrl = redis.url(3);
    sendTasks(plain, [
      { task: 'add', args: [1, 2], queue: 'backlog', count: 5 },
      ...[0, 1, 5, 7, 9, 9].map((priority) => ({ task: 'add' as const, args: [priority, 0], queue: 'prio', priority })),
    ]);
    sendTasks(prefixed, [{ task: 'add', args: [2, 2], count: 3 }, { task: 'sleep', args: [1], queue: 'slow', count: 2 }]);
    sendTasks(steps, [1, 2, 2, 5, 0].map((priority) => ({ task: 'add' as const, args: [1, 1], queue: 'fine', priority })));
  });
  afterAll(async () => {
    await pool.close();
    await redis.stop();
  });

  it('detects one namespace per database, with the broker prefix where there is one', async () => {
    expect(await celeryProbe.detect(contextFor(pool, 1))).toEqual([{ framework: 'celery', db: 1, prefix: '', source: 'detected from _kombu.binding.*' }]);
    expect(await celeryProbe.detect(contextFor(pool, 2))).toEqual([{ framework: 'celery', db: 2, prefix: 'qlab:', source: 'detected from qlab:_kombu.binding.*' }]);
    expect(await celeryProbe.detect(contextFor(pool, 5))).toEqual([]);
    expect(await celeryProbe.detect(contextFor(pool, 5, { keyPrefix: 'other:' }))).toEqual([{ framework: 'celery', db: 5, prefix: 'other:', source: 'configured' }]);
  });

  it('waiting equals the lists, priority sub-queues summed (Flower\'s rule)', async () => {
    const reading = await pollNamespace(pool, namespace(1), null);
    const byName = Object.fromEntries(reading.queues.map((q) => [q.queue, q]));
    expect(Object.keys(byName)).toEqual(['backlog', 'prio']);
    expect(byName.backlog!.waiting).toBe(llenAll(redis, 1, 'backlog'));
    expect(byName.backlog!.waiting).toBe(5);
    // Priorities 0,1 → bucket 0; 5 → 3; 7 → 6; 9,9 → 9 (kombu floors to its steps).
    expect(redis.cli(['LLEN', 'prio\x06\x169'], 1)).toBe('2');
    expect(byName.prio!.waiting).toBe(llenAll(redis, 1, 'prio'));
    expect(byName.prio!.waiting).toBe(6);
    expect(byName.prio!.reserved).toBe(0);
    expect(byName.prio!.scheduled).toBe(0);
  });

  it('a global_keyprefix namespace reads its own keys, and the other database stays apart', async () => {
    const reading = await pollNamespace(pool, namespace(2, 'qlab:'), null);
    expect(reading.queues.map((q) => [q.queue, q.waiting])).toEqual([
      ['celery', llenAll(redis, 2, 'qlab:celery')],
      ['slow', llenAll(redis, 2, 'qlab:slow')],
    ]);
    expect(reading.queues.map((q) => q.waiting)).toEqual([3, 2]);
    // The unprefixed namespace in that database has no queues at all.
    expect((await pollNamespace(pool, namespace(2), null)).queues).toEqual([]);
  });

  it('other priority steps and separator are found by SCAN', async () => {
    const ns = (await celeryProbe.detect(contextFor(pool, 3)))[0]!;
    const discovery = await celeryProbe.discover(contextFor(pool, 3), ns);
    expect(discovery.sep).toBe(':');
    expect(discovery.queues[0]!.keys).toEqual(['fine', 'fine:1', 'fine:2', 'fine:3', 'fine:5', 'fine:6', 'fine:9']);
    const reading = await pollNamespace(pool, ns, null);
    expect(reading.queues[0]!.waiting).toBe(llenAll(redis, 3, 'fine', ':'));
    expect(reading.queues[0]!.waiting).toBe(5);
  });

  it('says why worker figures are null without events, and gives no dead count', async () => {
    const q = (await pollNamespace(pool, namespace(1), null)).queues[0]!;
    expect(q).toMatchObject({ running: null, failed: null, retrying: null, dead: null, oldestWaitingAt: undefined, workers: { online: null, busy: null, offline: null } });
    expect(q.notes.running).toBe('not listening to Celery events');
    expect(q.notes.dead).toBe('Celery keeps no dead-letter set');
  });

  it('a queue heard of but not discovered asks for discovery once', async () => {
    const ns = namespace(1);
    const ctx = contextFor(pool, 1);
    const stale = await celeryProbe.discover(ctx, ns);
    const events = celeryProbe.events!.initial(ns);
    celeryProbe.events!.prune(events, ctx.now);
    const body = { type: 'task-sent', uuid: 'f1', queue: 'fresh', retries: 0, hostname: 'gen@test', timestamp: ctx.now / 1000 };
    const message = Buffer.from(JSON.stringify({ body: Buffer.from(JSON.stringify(body)).toString('base64'), 'content-type': 'application/json', properties: { body_encoding: 'base64' } }));
    celeryProbe.events!.fold(events, ns, '/1.celeryev/task.sent', message, ctx.now);
    const first = await celeryProbe.poll(ctx, ns, stale, events, null);
    expect(first.membershipChanged).toBe(true);
    expect((await celeryProbe.poll(ctx, ns, stale, events, first)).membershipChanged).toBeUndefined();
  });

  it('above 1,000 unacked messages reserved and scheduled are null, with the total', async () => {
    const writer = new Redis(redis.url(4));
    const entry = (i: number, rk: string) => JSON.stringify([{ body: 'W1tdLCB7fSwge31d', 'content-type': 'application/json', headers: { task: 'tsapp.add', id: `id-${i}`, eta: null }, properties: { delivery_info: { exchange: '', routing_key: rk }, body_encoding: 'base64' } }, '', rk]);
    await writer.sadd('_kombu.binding.big', 'big\x06\x16\x06\x16big');
    const fields = Array.from({ length: 900 }, (_, i) => [`tag-${i}`, entry(i, 'big')]).flat();
    await writer.hset('unacked', ...fields);
    const ns = namespace(4);
    const small = await pollNamespace(pool, ns, null);
    expect(small.queues[0]).toMatchObject({ queue: 'big', reserved: 900, scheduled: 0 });
    await writer.hset('unacked', ...Array.from({ length: 300 }, (_, i) => [`more-${i}`, entry(900 + i, 'big')]).flat());
    for (const previous of [null, small]) {
      const big = await pollNamespace(pool, ns, null, {}, previous);
      expect(big.queues[0]).toMatchObject({ reserved: null, scheduled: null });
      expect(big.queues[0]!.notes.reserved).toMatch(/^1200 messages are taken but unacknowledged across all queues/);
      expect(big.memo).toMatchObject({ unackedCount: 1200 });
    }
    writer.disconnect();
  });

  it('sends exactly one batch per poll', async () => {
    const ctx = contextFor(pool, 1);
    const ns = namespace(1);
    const discovery = await celeryProbe.discover(ctx, ns);
    const before = pool.traffic.roundTrips;
    await celeryProbe.poll(ctx, ns, discovery, null, null);
    expect(pool.traffic.roundTrips - before).toBe(1);
  });
});
