import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../test/support/redisServer.js';
import { fillLayouts } from './fill.js';

/**
 * `npm run bench`: the cost of a poll, printed as figures. A private redis-server holds the same
 * 200 queues with 1,000 jobs (db 1) and with 1,000,000 jobs (db 2), in RQ and Celery layouts;
 * the real monitor polls each database repeatedly (bench/measure.ts, one process each).
 */
const queues = 200;
const measureScript = fileURLToPath(new URL('./measure.js', import.meta.url));
const eventsScript = fileURLToPath(new URL('./celeryEvents.js', import.meta.url));
const eventRate = Number(process.env.BENCH_EVENT_RATE ?? 20_000);
const eventSeconds = Number(process.env.BENCH_EVENT_SECONDS ?? 60);

const redis = await startRedis();
try {
  const t0 = performance.now();
  await fillLayouts(redis.url(), 1, queues, 1_000);
  await fillLayouts(redis.url(), 2, queues, 1_000_000);
  console.log(`filled ${queues} queues with 1k (db1) and 1M (db2) jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s; polls after discovery: ${process.env.BENCH_POLLS ?? 200}`);
  for (const [db, label] of [[1, '1k jobs'], [2, '1M jobs']] as const) {
    const r = spawnSync(process.execPath, ['--expose-gc', measureScript, redis.url(db), label], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
} finally {
  await redis.stop();
}

// The Celery event stream, on a Redis of its own (pub/sub is server-wide).
const eventRedis = await startRedis();
try {
  const r = spawnSync(process.execPath, ['--expose-gc', eventsScript, eventRedis.url(), String(eventRate), String(eventSeconds)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
} finally {
  await eventRedis.stop();
}
