import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../../src-main/core/config/redisUrl.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { celeryProbe, type CeleryEventState } from '../../../src-main/probes/celery/celeryProbe.js';
import { parseIsoTime } from '../../../src-main/probes/shared/time.js';
import {
  destroyAllCeleryWorkers, pythonExceptionStr, sendTasks, startCeleryCapture, startCeleryWorker, waitUntil,
  type CeleryAppSettings, type CeleryCapture,
} from '../../support/celeryWorkers.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { contextFor, listen, namespace } from './celeryHarness.js';

/**
 * A task by id from the result backend (another database), the message still in the broker
 * (queue list or unacked, JSON or pickle body, protocol 2 or 1) and the events heard, compared
 * with the backend's own record read by redis-cli and Celery's own event state.
 */
describe('celery task lookup', () => {
  let redis: PrivateRedis;
  let pool: IoRedisPool;
  let events: CeleryEventState;
  let capture: CeleryCapture;
  const app: CeleryAppSettings = { brokerUrl: '', backendUrl: '', sentEvent: true, trackStarted: true, resultExtended: true };
  const pickled: CeleryAppSettings = { brokerUrl: '', backendUrl: '', serializer: 'pickle' };
  const v1: CeleryAppSettings = { brokerUrl: '', protocol: 1 };
  const ns = namespace(8);
  const ids: Record<string, string | undefined> = {};
  const meta = (id: string, db = 9) => JSON.parse(redis.cli(['GET', `celery-task-meta-${id}`], db) || '{}') as Record<string, unknown>;
  const lookup = (id: string, db = 8, backendDb: number | null = 9, state: CeleryEventState | null = events) => {
    const ctx = { ...contextFor(pool, db), ...(backendDb === null ? {} : { resultBackend: pool.reader(backendDb) }) };
    return celeryProbe.getTask!(ctx, namespace(db), id, state);
  };

  beforeAll(async () => {
    redis = await startRedis();
    pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'test' });
    Object.assign(app, { brokerUrl: redis.url(8), backendUrl: redis.url(9) });
    Object.assign(pickled, { brokerUrl: redis.url(10), backendUrl: redis.url(10) });
    v1.brokerUrl = redis.url(11);
    events = await listen(pool, ns);
    await Promise.all([
      startCeleryWorker({ app, name: 'w@test', queues: ['work'], events: true, concurrency: 1 }),
      startCeleryWorker({ app: pickled, name: 'p@test', queues: ['pw'], events: false }),
    ]);
    capture = await startCeleryCapture(app);
    [ids.added, ids.failing, ids.retrying] = sendTasks(app, [
      { task: 'add', args: [1, 2], queue: 'work' },
      { task: 'fail', args: ['boom'], queue: 'work' },
      { task: 'flaky', args: [1], kwargs: { countdown: 120 }, queue: 'work' },
    ]);
    await waitUntil(() => meta(ids.added!).status === 'SUCCESS' && meta(ids.failing!).status === 'FAILURE' && meta(ids.retrying!).status === 'RETRY', 'results');
    [ids.running] = sendTasks(app, [{ task: 'sleep', args: [6], queue: 'work' }]);
    [ids.scheduled] = sendTasks(app, [{ task: 'add', args: [5, 6], queue: 'work', countdown: 120 }]);
    [ids.waiting] = sendTasks(app, [{ task: 'add', args: [3, 4], kwargs: { z: 1 }, queue: 'idle' }]);
    await waitUntil(() => events.tasks.get(ids.running!)?.phase === 'started' && events.tasks.get(ids.scheduled!)?.phase === 'received'
      && events.tasks.get(ids.retrying!)?.retriedCount === 1 && events.tasks.get(ids.waiting!)?.phase === 'sent', 'events');
  });
  afterAll(async () => {
    await capture?.stop();
    await destroyAllCeleryWorkers();
    await pool.close();
    await redis.stop();
  });

  it('a succeeded task: the backend record, with times and worker from events', async () => {
    const record = meta(ids.added!);
    const seen = (await capture.snapshot()).tasks[ids.added!]!;
    expect(await lookup(ids.added!)).toEqual({
      id: ids.added, framework: 'celery', connection: 'test', queue: 'work', name: 'tsapp.add', description: 'tsapp.add(1, 2)',
      state: 'succeeded', args: [1, 2], kwargs: {}, enqueuedAt: Math.round(seen.sent! * 1000), startedAt: Math.round(seen.started! * 1000),
      finishedAt: parseIsoTime(record.date_done as string), worker: record.worker, retries: 0, result: record.result, error: null,
      sources: ['result backend', 'events'],
    });
    expect(record.result).toBe(3);
  });

  it('a failed task: exception type, message and traceback from the backend', async () => {
    const record = meta(ids.failing!);
    const detail = await lookup(ids.failing!);
    expect(detail).toMatchObject({ state: 'failed', error: { type: 'ValueError', message: 'boom', traceback: record.traceback }, result: null });
    expect(String(detail!.error!.traceback)).toMatch(/ValueError: boom/);
  });

  it('a task waiting for its retry: retrying, with the retry count and the exception that caused it', async () => {
    const detail = await lookup(ids.retrying!);
    expect(meta(ids.retrying!).status).toBe('RETRY');
    expect(detail).toMatchObject({ state: 'retrying', retries: 1, error: { type: 'RuntimeError', message: 'attempt 0' } });
    expect(detail!.sources).toEqual(['result backend', 'queue message (unacked)', 'events']);
  });

  it('running, scheduled (held by the worker) and waiting (in the list) tasks', async () => {
    const running = await lookup(ids.running!);
    expect(running).toMatchObject({ state: 'running', worker: 'w@test', queue: 'work', name: 'tsapp.sleep' });
    expect(meta(ids.running!).status).toBe('STARTED');
    const scheduled = await lookup(ids.scheduled!);
    expect(scheduled).toMatchObject({ state: 'scheduled', args: [5, 6], queue: 'work', sources: ['queue message (unacked)', 'events'] });
    const waiting = await lookup(ids.waiting!);
    expect(waiting).toMatchObject({
      state: 'waiting', queue: 'idle', name: 'tsapp.add', args: [3, 4], kwargs: { z: 1 }, description: "tsapp.add(3, 4, **{'z': 1})",
      retries: 0, sources: ['queue message (queue)', 'events'],
    });
    expect(waiting!.enqueuedAt).toBe(Math.round((await capture.snapshot()).tasks[ids.waiting!]!.sent! * 1000));
    expect(await lookup('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('error messages read as Python prints them: from the backend, from events, and for a retry\'s cause', async () => {
    const cases: [string, unknown[], string][] = [
      ['KeyError', ['flaky 1'], 'KeyError'],
      ['KeyError', [], 'KeyError'],
      ['ValueError', ['a', 2], 'ValueError'],
      ['OSError', [2, 'No such file or directory'], 'FileNotFoundError'],
      ['Outer.Nested', ['it\'s "q"\nline2'], 'Outer.Nested'],
      ['Shouted', ['hey'], 'Shouted'],
    ];
    const sent = sendTasks(app, cases.map(([name, args]) => ({ task: 'raise_exc', args: [name, ...args], queue: 'work' })));
    const [retried] = sendTasks(app, [{ task: 'flaky', args: [1], kwargs: { countdown: 120, cause: 'KeyError' }, queue: 'work' }]);
    await waitUntil(() => sent.every((id) => meta(id).status === 'FAILURE' && events.tasks.get(id)?.phase === 'failed')
      && meta(retried!).status === 'RETRY' && events.tasks.get(retried!)?.retriedCount === 1, 'the failures and the retry');
    const expected = cases.map(([name, args]) => pythonExceptionStr(app, name, args));
    expect(expected).toEqual(["'flaky 1'", '', "('a', 2)", '[Errno 2] No such file or directory', 'it\'s "q"\nline2', 'HEY!']);
    for (const [i, id] of sent.entries()) {
      const traceback = meta(id).traceback as string;
      // The traceback's last line is Python's own `Type: str(exc)` (the bare type when str is empty).
      expect(traceback.trimEnd().endsWith(expected[i] ? `: ${expected[i]}` : cases[i]![2])).toBe(true);
      expect((await lookup(id))!.error).toEqual({ type: cases[i]![2], message: expected[i], traceback });
      // Events alone (no backend): the repr and traceback of task-failed.
      expect((await lookup(id, 8, null))!.error).toMatchObject({ message: expected[i], traceback });
    }
    // A retry's traceback is the Retry's: the cause's message comes from its args (backend) or repr (events).
    const cause = pythonExceptionStr(app, 'KeyError', ['attempt 0']);
    expect(cause).toBe("'attempt 0'");
    expect((await lookup(retried!))!.error).toMatchObject({ type: 'KeyError', message: cause });
    expect((await lookup(retried!, 8, null))!.error).toMatchObject({ type: 'KeyError', message: cause });
  });

  it('pickle bodies and results are read without executing them', async () => {
    const [waiting] = sendTasks(pickled, [{ task: 'add', args: [7, 8], queue: 'pq' }]);
    const [done, failed] = sendTasks(pickled, [{ task: 'add', args: [1, 1], queue: 'pw' }, { task: 'fail', args: ['no'], queue: 'pw' }]);
    await waitUntil(() => redis.cli(['EXISTS', `celery-task-meta-${failed}`], 10) === '1' && redis.cli(['EXISTS', `celery-task-meta-${done}`], 10) === '1', 'pickled results');
    expect(await lookup(waiting!, 10, null, null)).toMatchObject({ state: 'waiting', args: [7, 8], kwargs: {}, description: 'tsapp.add(7, 8)', sources: ['queue message (queue)'] });
    expect(await lookup(done!, 10, null, null)).toMatchObject({ state: 'succeeded', result: 2, sources: ['result backend'] });
    // A pickled exception is not rebuilt: its class name is kept, its message is the traceback's last line.
    expect(await lookup(failed!, 10, null, null)).toMatchObject({ state: 'failed', error: { type: 'ValueError', message: pythonExceptionStr(pickled, 'ValueError', ['no']) } });
  });

  it('protocol 1 messages carry everything in the body', async () => {
    const [id] = sendTasks(v1, [{ task: 'add', args: [4, 5], kwargs: {}, queue: 'old' }]);
    expect(await lookup(id!, 11, null, null)).toMatchObject({ state: 'waiting', name: 'tsapp.add', args: [4, 5], kwargs: {}, queue: 'old', description: 'tsapp.add(4, 5)' });
  });
});
