import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseIsoTime } from '../../../src-main/probes/shared/time.js';
import { dumpDatabase, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../../support/rqWorkers.js';

/**
 * Records test/fixtures/redis/rq/1.13-*.json from real RQ 1.13 workers. Not part of the normal
 * run: `RECORD_RQ_FIXTURES=1 npx vitest run test/probes/rq/recordRqFixtures.test.ts`.
 * Each fixture's `expect` holds what RQ itself reported right after the dump (its counts run
 * its cleanup, so they come after), with worker liveness from the CLIENT LIST of that moment.
 */
interface Report {
  queues: Record<string, { waiting: number; scheduled: number; failed: number; running: number }>;
  workers: { name: string; state: string; queues: string[] }[];
}

const outDir = join(import.meta.dirname, '..', '..', 'fixtures', 'redis', 'rq');
let redis: PrivateRedis;

beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await destroyAllRqWorkers(); await redis?.stop(); });

async function record(db: number, scenario: string, description: string, queues: string[]): Promise<void> {
  const recordedAt = Date.now();
  const keys = await dumpDatabase(redis.url(), db);
  const clients = redis.cli(['CLIENT', 'LIST']).split('\n')
    .flatMap((line) => (line.includes(` db=${db} `) ? [/ name=(\S+)/.exec(line)?.[1]] : []))
    .filter((n): n is string => Boolean(n)).sort();
  const report = rqTool<Report>(redis, db, 'report', queues);
  const expect: RedisFixture['expect'] = {};
  for (const q of queues) {
    const mine = report.workers.filter((w) => w.queues.includes(q));
    const online = mine.filter((w) => clients.includes(w.name));
    const head = redis.cli(['LINDEX', `rq:queue:${q}`, '0'], db);
    const { waiting, scheduled, running, failed } = report.queues[q]!;
    expect[q] = {
      waiting, scheduled, reserved: null, running, failed, dead: null, retrying: null,
      oldestWaitingAt: head ? parseIsoTime(redis.cli(['HGET', `rq:job:${head}`, 'enqueued_at'], db)) : null,
      'workers.online': online.length,
      'workers.busy': online.filter((w) => w.state === 'busy').length,
      'workers.offline': mine.length - online.length,
    };
  }
  const fixture = { framework: 'rq', version: '1.13', scenario, description, recordedAt, db, clients, keys, expect };
  writeFileSync(join(outDir, `1.13-${scenario}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
}

const settled = (db: number, checks: [string[], string][]) => () => checks.every(([args, want]) => redis.cli(args, db) === want);

describe.runIf(process.env.RECORD_RQ_FIXTURES === '1')('record RQ 1.13 layouts', () => {
  it('idle: one worker, a queue whose jobs are done', async () => {
    await startRqWorker(redis, { db: 1, queues: ['default'], name: 'rec-idle' });
    rqTool(redis, 1, 'enqueue', [{ queue: 'default', func: 'add', args: [1, 2] }]);
    await waitFor(settled(1, [[['ZCARD', 'rq:finished:default'], '1']]), 'the job to finish');
    await record(1, 'idle', 'rq worker rec-idle on default (online); one add job ran and finished', ['default']);
  });

  it('backlog: waiting, scheduled and a running job', async () => {
    await startRqWorker(redis, { db: 2, queues: ['default', 'slow'], name: 'rec-busy' });
    rqTool(redis, 2, 'enqueue', [
      ...[1, 2, 3, 4, 5].map((n) => ({ queue: 'backlog', func: 'add', args: [n, n] })),
      { queue: 'default', func: 'add', args: [1, 1], enqueue_in: 3600 },
      { queue: 'default', func: 'add', args: [2, 2], enqueue_in: 7200 },
      { queue: 'slow', func: 'sleep_for', args: [300] },
    ]);
    await waitFor(settled(2, [[['ZCARD', 'rq:wip:slow'], '1'], [['HGET', 'rq:worker:rec-busy', 'state'], 'busy']]), 'the sleeper to run');
    await record(2, 'backlog', 'backlog: 5 jobs nobody consumes; default: 2 enqueue_in jobs; slow: a sleeping job on rec-busy (busy)', ['backlog', 'default', 'slow']);
  });

  it('failures: failed, retried, a killed worker and a stopped one', async () => {
    const main = await startRqWorker(redis, { db: 3, queues: ['default'], name: 'rec-main', withScheduler: true });
    const killed = await startRqWorker(redis, { db: 3, queues: ['default'], name: 'rec-killed' });
    const stopped = await startRqWorker(redis, { db: 3, queues: ['default'], name: 'rec-stopped' });
    await killed.kill();
    await stopped.stop();
    rqTool(redis, 3, 'enqueue', [
      { queue: 'default', func: 'fail', args: ['boom'] },
      { queue: 'default', func: 'flaky', args: ['rec-ok', 1], retry: { max: 2, interval: 1 } },
      { queue: 'default', func: 'flaky', args: ['rec-bad', 9], retry: { max: 1, interval: 1 } },
      { queue: 'default', func: 'fail', args: ['later'], retry: { max: 1, interval: 3600 } },
      { queue: 'default', func: 'add', args: [2, 3] },
    ]);
    await waitFor(settled(3, [[['ZCARD', 'rq:failed:default'], '2'], [['ZCARD', 'rq:finished:default'], '2'],
      [['ZCARD', 'rq:scheduled:default'], '1'], [['LLEN', 'rq:queue:default'], '0']]), 'the failures to settle', undefined, main.log);
    await record(3, 'failures', 'rec-main (scheduler on) ran 2 failures (one after a retry), 1 retried success, 1 waiting for a retry in an hour; rec-killed SIGKILLed (offline), rec-stopped SIGTERMed (gone)', ['default']);
  });
});
