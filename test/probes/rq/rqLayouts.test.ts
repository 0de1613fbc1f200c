import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';
import { listFixtures, loadFixture, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';

/** The RQ 2.10 layout (built from its source): executions, the intermediate list, retried results. */
let redis: PrivateRedis;
let pool: IoRedisPool;
let fixture: RedisFixture;
const ns = { framework: 'rq' as const, db: 0, prefix: '', source: 'test' };
const ctx = () => ({ connectionId: 'test', redis: pool.reader(0), now: fixture.recordedAt, rateWindowMs: 600_000, config: {} });

beforeAll(async () => {
  redis = await startRedis();
  pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
  fixture = listFixtures('rq').find((f) => f.version === '2.10' && f.scenario === 'executions')!;
  await loadFixture(redis.url(), fixture, 0);
});

afterAll(async () => {
  await pool?.close();
  await redis?.stop();
});

describe('rq probe on the RQ 2.10 layout', () => {
  it('tells the version from the worker hashes, so reserved is the intermediate list', async () => {
    const discovery = await rqProbe.discover(ctx(), ns);
    expect(discovery.layout).toEqual({ version: '2.10.0', hasIntermediate: true, source: 'RQ 2.10.0, from the worker hashes' });
    const reading = await rqProbe.poll(ctx(), ns, discovery, null, null);
    const q = reading.queues.find((r) => r.queue === 'default')!;
    expect([q.reserved, q.running]).toEqual([1, 1]);
    expect(q.notes.running).toBe('1 started entry has expired (the worker stopped heartbeating); RQ moves them to failed at its next cleanup');
    expect(q.notes.reserved).toBeUndefined();
  });

  it('without a worker hash, the layout still tells 1.15+: the intermediate list, else the executions', async () => {
    redis.cli(['RENAME', 'rq:workers', 'rq:workers-away'], 0);
    try {
      expect((await rqProbe.discover(ctx(), ns)).layout)
        .toEqual({ version: null, hasIntermediate: true, source: 'an rq:queue:*:intermediate list exists (RQ 1.15+)' });
      redis.cli(['RENAME', 'rq:queue:default:intermediate', 'away'], 0);
      expect((await rqProbe.discover(ctx(), ns)).layout)
        .toEqual({ version: null, hasIntermediate: true, source: 'started registry members name executions (RQ 2.x)' });
    } finally {
      redis.cli(['RENAME', 'rq:workers-away', 'rq:workers'], 0);
      redis.cli(['RENAME', 'away', 'rq:queue:default:intermediate'], 0);
    }
  });

  it('a job waiting for its retry: retrying, the retries made, the last attempt\'s error', async () => {
    const t = (await rqProbe.getTask!(ctx(), ns, 'j-retry', null))!;
    expect({ state: t.state, retries: t.retries, worker: t.worker, error: [t.error?.type, t.error?.message], sources: t.sources }).toEqual({
      state: 'retrying', retries: 1, worker: 'w2a', error: ['RuntimeError', 'nope'],
      sources: ['job hash (status scheduled)', 'results stream (latest entry: retried)'],
    });
  });

  it('a running execution and a finished job', async () => {
    const run = (await rqProbe.getTask!(ctx(), ns, 'j-run', null))!;
    expect([run.state, run.worker, run.args, run.name, run.startedAt]).toEqual(['running', 'w2a', [60], 'jobs.sleep_for', (fixture.recordedAt - 35_000)]);
    const ok = (await rqProbe.getTask!(ctx(), ns, 'j-ok', null))!;
    expect([ok.state, ok.result, ok.finishedAt]).toEqual(['succeeded', 7, fixture.recordedAt - 99_000]);
  });

  it('samples the finished and failed jobs RQ still keeps', async () => {
    const discovery = await rqProbe.discover(ctx(), ns);
    const [sample] = (await rqProbe.sample!(ctx(), ns, discovery)).filter((s) => s.queue === 'default');
    const at = fixture.recordedAt;
    expect(sample).toEqual({ queue: 'default', fromAt: at - 500_000, toAt: at, source: 'timestamps', truncated: false, tasks: [
      { enqueuedAt: at - 300_000, startedAt: at - 299_000, finishedAt: at - 298_000, succeeded: false },
      { enqueuedAt: at - 110_000, startedAt: at - 100_000, finishedAt: at - 99_000, succeeded: true },
    ] });
  });
});

describe('rq probe on bad data: item-level errors, never a crash', () => {
  it('keys of the wrong type give null figures with an item error; a job key that is not a hash is not a job', async () => {
    const idle = listFixtures('rq').find((f) => f.version === '2.10' && f.scenario === 'idle')!;
    await loadFixture(redis.url(), idle, 1);
    redis.cli(['SADD', 'rq:queues', 'rq:queue:bad'], 1);
    redis.cli(['SET', 'rq:queue:bad', 'not a list'], 1);
    redis.cli(['SET', 'rq:scheduled:bad', 'not a zset'], 1);
    redis.cli(['SADD', 'rq:workers', 'rq:worker:odd'], 1);
    redis.cli(['SET', 'rq:worker:odd', 'not a hash'], 1);
    redis.cli(['SET', 'rq:job:odd', 'not a hash'], 1);
    const c = { connectionId: 'test', redis: pool.reader(1), now: idle.recordedAt, rateWindowMs: 600_000, config: {} };
    const nsBad = { ...ns, db: 1 };
    const discovery = await rqProbe.discover(c, nsBad);
    const reading = await rqProbe.poll(c, nsBad, discovery, null, null);
    const bad = reading.queues.find((q) => q.queue === 'bad')!;
    expect([bad.waiting, bad.scheduled, bad.running, bad.failed, bad.oldestWaitingAt]).toEqual([null, null, 0, 0, undefined]);
    const wrongType = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    expect(reading.errors).toEqual([
      { item: 'rq:worker:odd', message: wrongType },
      { item: 'rq:queue:bad', message: wrongType },
      { item: 'rq:scheduled:bad', message: wrongType },
    ]);
    // No connection named w-idle is open here, so it too is offline.
    expect(reading.workers!.map((w) => [w.name, w.state])).toEqual([['odd', 'offline'], ['w-idle', 'offline']]);
    expect(reading.queues.find((q) => q.queue === 'default')!.waiting).toBe(0);
    expect(await rqProbe.getTask!(c, nsBad, 'odd', null)).toBeNull();
  });
});
