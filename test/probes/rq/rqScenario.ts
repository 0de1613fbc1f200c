import type { PrivateRedis } from '../../support/redisServer.js';
import { rqTool, startRqWorker, waitFor, type RqWorker } from '../../support/rqWorkers.js';

/** Job ids of the scenario, by role. */
export interface RqScenario {
  idle: string[];
  added: string[];
  failed: string[];
  /** Failed once, retried after 1 s by the scheduler, then succeeded. */
  retriedOk: string;
  /** Failed twice (Retry max 1), so it ended failed. */
  retriedFailed: string;
  /** Failed once, its retry scheduled an hour away: waiting for a retry. */
  retrying: string;
  scheduled: string[];
  /** Returns a datetime: a result only a class can carry. */
  returnsDatetime: string;
  /** Has a datetime keyword argument. */
  datetimeKwarg: string;
  sleeper: string;
  db2: { idle: string[]; added: string[] };
  workers: Record<'main' | 'slow' | 'killed' | 'stopped' | 'db2', RqWorker>;
}

const count = (redis: PrivateRedis, db: number, args: string[]) => Number(redis.cli(args, db));

/**
 * Real RQ 1.13 workers producing every state on db 1 (queues idle, work, slow, spare) and a
 * second database (db 2, queues work and other) with a worker of its own. Returns once the
 * state is stable: quick jobs done, the sleeper running, one worker SIGKILLed, one SIGTERMed.
 */
export async function runRqScenario(redis: PrivateRedis): Promise<RqScenario> {
  const enqueue = (db: number, specs: object[]) => rqTool<string[]>(redis, db, 'enqueue', specs);
  const workers = {
    main: await startRqWorker(redis, { db: 1, queues: ['work'], name: 'w-main', withScheduler: true }),
    slow: await startRqWorker(redis, { db: 1, queues: ['slow'], name: 'w-slow' }),
    killed: await startRqWorker(redis, { db: 1, queues: ['spare'], name: 'w-killed' }),
    stopped: await startRqWorker(redis, { db: 1, queues: ['spare'], name: 'w-stopped' }),
    db2: await startRqWorker(redis, { db: 2, queues: ['work'], name: 'w-db2' }),
  };
  const idle = enqueue(1, [1, 2, 3].map((n) => ({ queue: 'idle', func: 'add', args: [n, n] })));
  const added = enqueue(1, [[1, 2], [3, 4], [5, 6]].map((args) => ({ queue: 'work', func: 'add', args })));
  const failed = enqueue(1, ['boom', 'bang'].map((m) => ({ queue: 'work', func: 'fail', args: [m] })));
  const [retriedOk, retriedFailed, retrying, returnsDatetime, datetimeKwarg] = enqueue(1, [
    { queue: 'work', func: 'flaky', args: ['flaky-ok', 1], retry: { max: 2, interval: 1 } },
    { queue: 'work', func: 'flaky', args: ['flaky-bad', 5], retry: { max: 1, interval: 1 } },
    { queue: 'work', func: 'fail', args: ['later'], retry: { max: 1, interval: 3600 } },
    { queue: 'work', func: 'when' },
    { queue: 'work', func: 'echo', args: ['x'], datetime_kwarg: 'at' },
  ]) as [string, string, string, string, string];
  const scheduled = enqueue(1, [{ queue: 'work', func: 'add', args: [7, 7], enqueue_in: 3600 }, { queue: 'work', func: 'add', args: [8, 8], enqueue_in: 7200 }]);
  const [sleeper] = enqueue(1, [{ queue: 'slow', func: 'sleep_for', args: [120] }]) as [string];
  const db2 = {
    idle: enqueue(2, [{ queue: 'other', func: 'add', args: [9, 9] }]),
    added: enqueue(2, [{ queue: 'work', func: 'add', args: [1, 1] }, { queue: 'work', func: 'add', args: [2, 2] }]),
  };

  await waitFor(() => count(redis, 1, ['LLEN', 'rq:queue:work']) === 0 && count(redis, 1, ['ZCARD', 'rq:wip:work']) === 0
    && count(redis, 1, ['ZCARD', 'rq:finished:work']) === 6 && count(redis, 1, ['ZCARD', 'rq:failed:work']) === 3
    && count(redis, 1, ['ZCARD', 'rq:scheduled:work']) === 3, 'the work queue to settle', undefined, workers.main.log);
  await waitFor(() => count(redis, 1, ['ZCARD', 'rq:wip:slow']) === 1
    && redis.cli(['HGET', 'rq:worker:w-slow', 'state'], 1) === 'busy', 'the sleeper to start', undefined, workers.slow.log);
  await waitFor(() => count(redis, 2, ['ZCARD', 'rq:finished:work']) === 2, 'db 2 to settle', undefined, workers.db2.log);
  await workers.killed.kill();
  await workers.stopped.stop();
  return { idle, added, failed, retriedOk, retriedFailed, retrying, scheduled, returnsDatetime, datetimeKwarg, sleeper, db2, workers };
}
