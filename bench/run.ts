import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRabbit } from '../test/support/rabbitServer.js';
import { startRedis } from '../test/support/redisServer.js';
import { fillLayouts, type BenchFramework } from './fill.js';
import { fillRabbit } from './fillRabbit.js';
import { queueColumns } from '../src-main/io/rabbitmq/managementClient.js';
import type { MeasureResult } from './measure.js';

/**
 * `npm run bench`: the cost of a poll, printed as figures. A private redis-server holds 200
 * queues with 1,000 and with 1,000,000 jobs, once in RQ and Celery layouts (db 1 and 2) and once
 * with all four Redis frameworks together, RQ, Celery, BullMQ 6.x and Sidekiq 6.x (db 3 and 4);
 * the real monitor polls each database repeatedly (bench/measure.ts, one process each). Then the
 * Celery event stream (bench/celeryEvents.ts). Then RabbitMQ: a private node with the management
 * plugin, 200 plain queues holding 1,000 and 1,000,000 messages (two vhosts), polled through the
 * management API. Then the history store (bench/historyBench.ts: 24 h of 200 queues at 5 s, the
 * 24 h chart query, insert time per poll, file size). `BENCH_PARTS` picks parts: `poll`, `all4`,
 * `events`, `rabbit`, `history` (comma-separated; all by default).
 */
const queues = 200;
const measureScript = fileURLToPath(new URL('./measure.js', import.meta.url));
const eventsScript = fileURLToPath(new URL('./celeryEvents.js', import.meta.url));
const historyScript = fileURLToPath(new URL('./historyBench.js', import.meta.url));
const eventRate = Number(process.env.BENCH_EVENT_RATE ?? 20_000);
const eventSeconds = Number(process.env.BENCH_EVENT_SECONDS ?? 60);
const knownParts = ['poll', 'all4', 'events', 'rabbit', 'history'];
const parts = new Set((process.env.BENCH_PARTS ?? knownParts.join(',')).split(',').map((p) => p.trim()).filter(Boolean));
const unknown = [...parts].filter((p) => !knownParts.includes(p));
if (unknown.length) throw new Error(`BENCH_PARTS: unknown part ${unknown.join(', ')} (known: ${knownParts.join(', ')})`);

interface PollPart { part: string; title: string; frameworks: BenchFramework[]; dbs: [number, number] }
const pollParts: PollPart[] = [
  { part: 'poll', title: 'RQ and Celery', frameworks: ['rq', 'celery'], dbs: [1, 2] },
  { part: 'all4', title: 'RQ, Celery, BullMQ and Sidekiq together', frameworks: ['rq', 'celery', 'bullmq', 'sidekiq'], dbs: [3, 4] },
];

/** Runs measure.js in its own process, passing its output through; its result line is parsed. */
function measure(url: string, label: string, apiUrl?: string): MeasureResult | null {
  const r = spawnSync(process.execPath, ['--expose-gc', measureScript, url, label, ...(apiUrl ? [apiUrl] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  let result: MeasureResult | null = null;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length)) as MeasureResult;
    else if (line) console.log(line);
  }
  if (r.status !== 0 || !result) process.exitCode = 1;
  return result;
}

/** 1M against 1k: what grew with the data (it should not: every poll read is O(1) per queue). */
function compare(small: MeasureResult, large: MeasureResult): string {
  const same = (a: number, b: number) => (a === b ? `${a.toFixed(2)} both` : `${a.toFixed(2)} → ${b.toFixed(2)}`);
  return [
    '  1k → 1M:',
    `p50 ×${(large.p50Ms / small.p50Ms).toFixed(2)}`,
    `p95 ×${(large.p95Ms / small.p95Ms).toFixed(2)}`,
    `${small.unit}/poll ${same(small.commandsPerPoll, large.commandsPerPoll)}`,
    `round trips/poll ${same(small.roundTripsPerPoll, large.roundTripsPerPoll)}`,
    `RSS ${small.rssMb.toFixed(0)} → ${large.rssMb.toFixed(0)} MB`,
    ...(small.serverCpuMsPerPoll !== null && large.serverCpuMsPerPoll !== null
      ? [`Redis CPU ${small.serverCpuMsPerPoll.toFixed(2)} → ${large.serverCpuMsPerPoll.toFixed(2)} ms/poll`] : []),
  ].join('  ');
}

const selected = pollParts.filter((p) => parts.has(p.part));
if (selected.length) {
  const redis = await startRedis();
  try {
    for (const { title, frameworks, dbs } of selected) {
      const t0 = performance.now();
      await fillLayouts(redis.url(), dbs[0], queues, 1_000, frameworks);
      await fillLayouts(redis.url(), dbs[1], queues, 1_000_000, frameworks);
      console.log(`${title}: filled ${queues} queues with 1k (db${dbs[0]}) and 1M (db${dbs[1]}) jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s; polls after discovery: ${process.env.BENCH_POLLS ?? 200}`);
      const small = measure(redis.url(dbs[0]), '1k jobs');
      const large = measure(redis.url(dbs[1]), '1M jobs');
      if (small && large) console.log(compare(small, large));
    }
  } finally {
    await redis.stop();
  }
}

// The Celery event stream, on a Redis of its own (pub/sub is server-wide).
if (parts.has('events')) {
  const eventRedis = await startRedis();
  try {
    const r = spawnSync(process.execPath, ['--expose-gc', eventsScript, eventRedis.url(), String(eventRate), String(eventSeconds)], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  } finally {
    await eventRedis.stop();
  }
}

// RabbitMQ plain queues through the management API, on a private node (never the machine's 5672).
if (parts.has('rabbit')) {
  const rabbit = await startRabbit({ management: true });
  try {
    const t0 = performance.now();
    const results: (MeasureResult | null)[] = [];
    const sizes = [[1_000, 'bench-1k', '1k messages'], [1_000_000, 'bench-1m', '1M messages']] as const;
    for (const [messages, vhost] of sizes) {
      rabbit.ctl(['add_vhost', vhost]);
      rabbit.ctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
      await fillRabbit(rabbit.amqpUrl({ vhost }), queues, messages);
    }
    // Published is not yet counted: wait until the node itself (rabbitmqctl) holds every message.
    for (const [messages, vhost] of sizes) {
      const expected = Math.floor(messages / queues) * queues;
      const deadline = Date.now() + 120_000;
      const held = () => rabbit.listQueues(vhost, ['messages']).reduce((sum, q) => sum + Number(q['messages']), 0);
      while (held() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    }
    // The management API's figures trail the queues by its stats interval (5 s).
    await new Promise((r) => setTimeout(r, 6_000));
    console.log(`RabbitMQ (plain queues, management API): filled ${queues} queues with 1k and 1M messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const [, vhost, label] of sizes) results.push(measure(rabbit.amqpUrl({ vhost }), label, rabbit.apiUrl()));
    if (results[0] && results[1]) console.log(compare(results[0], results[1]));
    // What the management API itself takes to list the 200 queues (the poll's main request), sent directly.
    for (const [, vhost, label] of sizes) {
      const url = `http://127.0.0.1:${rabbit.managementPort}/api/queues/${encodeURIComponent(vhost)}?page=1&page_size=500&sort=name&columns=${queueColumns}`;
      const headers = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` };
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const started = performance.now();
        await (await fetch(url, { headers })).arrayBuffer();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(`  ${label}: GET /api/queues alone (200 queues, the poll's columns): p50 ${times[14]!.toFixed(1)} ms, p95 ${times[28]!.toFixed(1)} ms`);
    }
  } finally {
    await rabbit.stop();
  }
}

// The history store, in a process of its own (no broker: it is fed polls as the recorder feeds it).
if (parts.has('history')) {
  const r = spawnSync(process.execPath, ['--expose-gc', historyScript], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
