import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { dumpDatabase, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { bullmqVersion, closeAll, loadBullmq, track, until, type BullmqMajor } from '../../support/bullmqWorkers.js';
import { buildScenario, bullmqReport } from './bullmqScenario.js';

/**
 * Records test/fixtures/redis/bullmq/<version>-*.json from real BullMQ 6 and 5 workers. Not part
 * of the normal run: `RECORD_BULLMQ_FIXTURES=1 npx vitest run test/probes/bullmq/recordBullmqFixtures.test.ts`.
 * Each fixture's `expect` holds what BullMQ itself reported right after the dump
 * (Queue.getJobCounts, getWorkers, getActive), and `clients` the worker connections of that moment.
 */
const outDir = join(import.meta.dirname, '..', '..', 'fixtures', 'redis', 'bullmq');
let redis: PrivateRedis;

beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await closeAll(); await redis?.stop(); });

async function record(major: BullmqMajor, db: number, scenario: string, description: string,
  queues: { prefix: string; queue: Parameters<typeof bullmqReport>[3] }[]): Promise<void> {
  const recordedAt = Date.now();
  const keys = await dumpDatabase(redis.url(), db);
  const clients = redis.cli(['CLIENT', 'LIST']).split('\n')
    .flatMap((line) => (line.includes(` db=${db} `) ? [/ name=(\S+)/.exec(line)?.[1]] : []))
    .filter((n): n is string => Boolean(n)).sort();
  const expect: RedisFixture['expect'] = {};
  for (const { prefix, queue } of queues) expect[queue.name] = await bullmqReport(redis, db, prefix, queue);
  const version = bullmqVersion(major);
  const fixture = { framework: 'bullmq', version, scenario, description, recordedAt, db, clients, keys, expect };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${version}-${scenario}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
}

describe.runIf(process.env.RECORD_BULLMQ_FIXTURES === '1')('record BullMQ layouts', () => {
  for (const [major, db] of [['6', 1], ['5', 2]] as [BullmqMajor, number][]) {
    it(`${major}.x backlog: waiting, prioritized, paused, delayed, active, failed, retried, flow parent, custom prefix`, async () => {
      const scenario = await buildScenario(redis, db, major);
      await record(major, db, 'backlog', `BullMQ ${bullmqVersion(major)} (test/probes/bullmq/bullmqScenario.ts): emails (bull) on named worker bw1 busy with a slow job, 3 waiting + 2 prioritized + 2 delayed + 1 retry in an hour, 3 completed (one after a retry), 1 failed; reports (bull) paused with 2 + 1 prioritized and an idle unnamed worker; thumbs (prefix myapp) with a flow parent waiting for its child and 2 waiting`, scenario.queues);
      scenario.release();
      await closeAll();
    });

    it(`${major}.x idle: a worker with nothing to do, jobs done and trimmed by removeOnComplete`, async () => {
      const { Queue, Worker } = loadBullmq(major);
      const connection = { host: '127.0.0.1', port: redis.port, db: db + 4 };
      const queue = track(new Queue('idle', { connection }));
      track(new Worker('idle', async () => 'ok', { connection, name: 'iw' }));
      for (const n of [1, 2, 3]) await queue.add('j', { n }, { removeOnComplete: { count: 2 } });
      await until(async () => (await queue.getJobCounts('completed', 'wait', 'active')).completed === 2
        && (await queue.getJobCounts('active')).active === 0, 'the jobs to finish');
      await record(major, db + 4, 'idle', `BullMQ ${bullmqVersion(major)}: queue idle, named worker iw idle, 3 jobs done with removeOnComplete {count: 2}`, [{ prefix: 'bull', queue }]);
      await closeAll();
    });
  }
});
