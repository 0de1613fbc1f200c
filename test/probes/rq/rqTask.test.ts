import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { TaskDetail } from '../../../src-main/contract/task.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';
import { parseIsoTime } from '../../../src-main/probes/shared/time.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool } from '../../support/rqWorkers.js';
import { runRqScenario, type RqScenario } from './rqScenario.js';

interface RqJob {
  status: string; origin: string; func_name: string; description: string; args: unknown[]; kwargs: Record<string, unknown>;
  worker_name: string | null; result: unknown; exc_string: string | null;
}

let redis: PrivateRedis;
let pool: IoRedisPool;
let scenario: RqScenario;

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

const ns = { framework: 'rq' as const, db: 1, prefix: '', source: 'test' };
async function task(id: string): Promise<TaskDetail> {
  const found = await rqProbe.getTask!({ connectionId: 'test', redis: pool.reader(1), now: Date.now(), rateWindowMs: 600_000, config: {} }, ns, id, null);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}
const times = (id: string) => {
  const field = (f: string) => parseIsoTime(redis.cli(['HGET', `rq:job:${id}`, f], 1) || null);
  return { enqueuedAt: field('enqueued_at'), startedAt: field('started_at'), finishedAt: field('ended_at') };
};

/** Length of the base64 text RQ stored as the latest result's return_value. */
const returnValueLength = (id: string) => {
  const stored = redis.cli(['XREVRANGE', `rq:results:${id}`, '+', '-', 'COUNT', '1'], 1).split('\n');
  return stored[stored.indexOf('return_value') + 1]!.length;
};

describe('rq getTask against jobs real RQ 1.13 workers ran', () => {
  it('a succeeded job: call, result, times and worker, as RQ reads them', async () => {
    const id = scenario.added[1]!;
    const rq = rqTool<RqJob>(redis, 1, 'job', id);
    expect(await task(id)).toEqual({
      id, framework: 'rq', connection: 'test', queue: rq.origin, name: rq.func_name, description: rq.description,
      state: 'succeeded', args: rq.args, kwargs: rq.kwargs, ...times(id), worker: rq.worker_name, retries: null,
      result: rq.result, error: null, sources: ['job hash (status finished)', 'results stream (latest entry: successful)'],
      timeoutMs: Number(redis.cli(['HGET', `rq:job:${id}`, 'timeout'], 1)) * 1000,
    });
    expect([rq.func_name, rq.args, rq.result, rq.worker_name]).toEqual(['rq_jobs.add', [3, 4], 7, 'w-main']);
  });

  it('a failed job: the exception type, message and traceback RQ stored', async () => {
    const id = scenario.failed[0]!;
    const rq = rqTool<RqJob>(redis, 1, 'job', id);
    const t = await task(id);
    expect(t.state).toBe('failed');
    expect(t.error).toEqual({ type: 'ValueError', message: 'boom', traceback: rq.exc_string });
    expect(rq.exc_string).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*ValueError: boom\n$/);
    expect(t.result).toBeNull();
    expect(t.finishedAt).toBe(times(id).finishedAt);
  });

  it('a retried job that then succeeded, and one that ran out of retries', async () => {
    const ok = await task(scenario.retriedOk);
    expect([ok.state, ok.result, ok.error, ok.retries]).toEqual(['succeeded', 2, null, null]);
    const bad = await task(scenario.retriedFailed);
    expect([bad.state, bad.error?.type, bad.error?.message]).toEqual(['failed', 'RuntimeError', 'attempt 2 of flaky-bad fails on purpose']);
  });

  it('a job waiting for its retry is retrying, and keeps no finish time', async () => {
    const t = await task(scenario.retrying);
    expect(rqTool<RqJob>(redis, 1, 'job', scenario.retrying).status).toBe('scheduled');
    expect(redis.cli(['HGET', `rq:job:${scenario.retrying}`, 'ended_at'], 1)).not.toBe('');
    expect([t.state, t.finishedAt, t.startedAt]).toEqual(['retrying', null, times(scenario.retrying).startedAt]);
  });

  it('waiting, scheduled and running jobs', async () => {
    const waiting = await task(scenario.idle[0]!);
    expect([waiting.state, waiting.queue, waiting.args, waiting.startedAt, waiting.finishedAt, waiting.worker])
      .toEqual(['waiting', 'idle', [1, 1], null, null, null]);
    expect(waiting.enqueuedAt).toBe(times(scenario.idle[0]!).enqueuedAt);
    const scheduled = await task(scenario.scheduled[0]!);
    expect([scheduled.state, scheduled.enqueuedAt, scheduled.args]).toEqual(['scheduled', null, [7, 7]]);
    const running = await task(scenario.sleeper);
    expect([running.state, running.worker, running.finishedAt, running.name]).toEqual(['running', 'w-slow', null, 'rq_jobs.sleep_for']);
    expect(running.startedAt).toBe(times(scenario.sleeper).startedAt);
  });

  it('values that need a class are undecodable, with their size, and never executed', async () => {
    const needsDatetime = 'not shown without executing it: it needs the Python class datetime.datetime';
    const result = await task(scenario.returnsDatetime);
    expect(result.result).toEqual({ undecodable: true, encoding: 'base64+pickle', bytes: returnValueLength(scenario.returnsDatetime), reason: needsDatetime });
    const kwargs = await task(scenario.datetimeKwarg);
    const dataBytes = Number(redis.cli(['HSTRLEN', `rq:job:${scenario.datetimeKwarg}`, 'data'], 1));
    expect(kwargs.args).toEqual(['x']);
    expect(kwargs.kwargs).toEqual({ undecodable: true, encoding: 'zlib+pickle', bytes: dataBytes,
      reason: needsDatetime });
    // A result is one value: a datetime anywhere in it hides all of it.
    expect(kwargs.result).toEqual({ undecodable: true, encoding: 'base64+pickle', bytes: returnValueLength(scenario.datetimeKwarg), reason: needsDatetime });
  });

  it('an unknown id is null; a broken job hash is an item, not a crash', async () => {
    expect(await rqProbe.getTask!({ connectionId: 'test', redis: pool.reader(1), now: 0, rateWindowMs: 1, config: {} }, ns, 'nope', null)).toBeNull();
    redis.cli(['HSET', 'rq:job:broken', 'status', 'failed', 'data', 'not zlib', 'exc_info', 'plain text'], 1);
    const t = await task('broken');
    expect([t.state, t.name, t.args]).toEqual(['failed', null, { undecodable: true, encoding: 'unknown', bytes: 8, reason: 'the job data is not zlib-compressed' }]);
    expect(t.error).toEqual({ type: null, message: 'plain text', traceback: 'plain text' });
  });
});
