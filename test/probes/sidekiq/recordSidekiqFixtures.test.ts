import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { staleBeatMs } from '../../../src-main/probes/sidekiq/sidekiqProcesses.js';
import { dumpDatabase, type RedisFixture } from '../../support/fixtures.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { waitFor } from '../../support/rqWorkers.js';
import { destroyAllSidekiqs, sidekiqEnqueue, sidekiqReport, startSidekiq, type SidekiqReport } from '../../support/sidekiqWorkers.js';
import { toNamespace, toV7, toV8 } from './sidekiqLayouts.js';

/**
 * Records test/fixtures/redis/sidekiq/6.4-*.json from real Sidekiq 6.4.1 processes, and writes
 * the 7.3, 8.1 and namespace layouts from them (sidekiqLayouts.ts). Not part of the normal run:
 * `RECORD_SIDEKIQ_FIXTURES=1 npx vitest run test/probes/sidekiq/recordSidekiqFixtures.test.ts`.
 * Each `expect` is Sidekiq's own report taken right after the dump (sizes, latency, sets by
 * queue, Workers); liveness is the beat's age at the recording (Sidekiq has no such notion).
 */
const outDir = join(import.meta.dirname, '..', '..', 'fixtures', 'redis', 'sidekiq');
let redis: PrivateRedis;

beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await destroyAllSidekiqs(); await redis?.stop(); });

function expectOf(report: SidekiqReport, recordedAt: number, tails: Record<string, string>): RedisFixture['expect'] {
  const expect: RedisFixture['expect'] = {};
  for (const q of Object.keys(report.queues).sort()) {
    const mine = report.processes.filter((p) => p.queues.includes(q));
    const online = mine.filter((p) => recordedAt - p.beat * 1000 <= staleBeatMs);
    const tail = tails[q] ? (JSON.parse(tails[q]) as { enqueued_at: number }).enqueued_at : null;
    // Cross-check: Sidekiq's latency is its clock minus the same enqueued_at.
    if (tail !== null && Math.abs((report.now - report.queues[q]!.latency) - tail) > 0.001) throw new Error(`latency of ${q} disagrees`);
    expect[q] = {
      waiting: report.queues[q]!.size,
      scheduled: report.scheduled_by_queue[q] ?? 0,
      reserved: null,
      running: report.workers.filter((w) => w.queue === q && online.some((p) => p.identity === w.process)).length,
      failed: null,
      dead: report.dead_by_queue[q] ?? 0,
      retrying: report.retry_by_queue[q] ?? 0,
      oldestWaitingAt: tail === null ? null : Math.round(tail * 1000),
      'workers.online': online.length,
      'workers.busy': online.filter((p) => p.busy > 0).length,
      'workers.offline': mine.length - online.length,
    };
  }
  return expect;
}

async function record(db: number, scenario: string, description: string, recordedAt = Date.now()): Promise<void> {
  const keys = await dumpDatabase(redis.url(), db);
  const report = sidekiqReport(redis, db);
  const tails = Object.fromEntries(Object.keys(report.queues).map((q) => [q, redis.cli(['LINDEX', `queue:${q}`, '-1'], db)]));
  const fixture: RedisFixture = {
    framework: 'sidekiq', version: '6.4', scenario, description: `Live Sidekiq 6.4.1 (Debian ruby-sidekiq): ${description}`,
    recordedAt, db, keys, expect: expectOf(report, recordedAt, tails),
  };
  const write = (f: RedisFixture) => writeFileSync(join(outDir, `${f.version}-${f.scenario}.json`), `${JSON.stringify(f, null, 1)}\n`);
  write(fixture);
  write(toV7(fixture));
  write(toV8(fixture));
  if (scenario === 'busy') write(toNamespace(fixture, 'app:'));
}

describe.runIf(process.env.RECORD_SIDEKIQ_FIXTURES === '1')('record Sidekiq 6.4 layouts', () => {
  it('idle: one process on default, one job done', async () => {
    await startSidekiq(redis, { db: 1, queues: ['default'], tag: 'rec-idle' });
    sidekiqEnqueue(redis, 1, [{ class: 'OkJob', args: [1] }]);
    await waitFor(() => sidekiqReport(redis, 1).stats.processed === 1, 'the job to be counted');
    await record(1, 'idle', 'process rec-idle on default (online); one OkJob ran');
  }, 60_000);

  it('busy: waiting, scheduled, running, retrying and dead over three queues', async () => {
    await startSidekiq(redis, { db: 2, queues: ['default', 'mailers'], tag: 'rec-busy', concurrency: 3 });
    sidekiqEnqueue(redis, 2, [
      { class: 'OkJob', args: [1] }, { class: 'RetryJob', args: ['boom'] }, { class: 'RetryJob', args: ['bang'], queue: 'mailers' },
      { class: 'DeadJob', args: ['gone'] }, { class: 'SleepJob', args: [300], queue: 'mailers' },
      { class: 'OkJob', args: [2], in: 3600 }, { class: 'OkJob', args: [3], in: 3600, queue: 'mailers' }, { class: 'OkJob', args: [4], in: 7200 },
      { class: 'OkJob', args: [5], queue: 'reports' },
    ]);
    await waitFor(() => { const r = sidekiqReport(redis, 2); return r.stats.processed === 4 && r.workers.length === 1; }, 'the jobs to run');
    sidekiqEnqueue(redis, 2, [{ class: 'OkJob', args: [6], queue: 'reports' }, { class: 'OkJob', args: [7], queue: 'reports' }]);
    await record(2, 'busy', 'rec-busy on default+mailers (3 threads, one sleeping on mailers); default: 1 retrying, 1 dead, 2 scheduled; mailers: 1 retrying, 1 scheduled, 1 running; reports: 3 waiting, no consumer');
  }, 60_000);

  it('crashed: a killed process offline (stale beat, hash still there), a stopped one gone', async () => {
    const killed = await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'rec-killed' });
    const stopped = await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'rec-stopped' });
    await startSidekiq(redis, { db: 3, queues: ['default'], tag: 'rec-alive' });
    sidekiqEnqueue(redis, 3, [{ class: 'SleepJob', args: [300] }]);
    await waitFor(() => sidekiqReport(redis, 3).workers.length === 1, 'the sleeper to run');
    await killed.kill();
    await stopped.stop();
    await new Promise((r) => setTimeout(r, staleBeatMs + 2000));
    await record(3, 'crashed', 'rec-killed SIGKILLed and rec-stopped stopped with TERM 32 s before the dump; rec-alive online; one SleepJob was running (on whichever process took it)');
  }, 90_000);
});
