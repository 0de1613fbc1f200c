import type { ConnectionView, RedisBrokerFigures } from '../../../src-main/contract/dashboard.js';
import { parseRedisUrl, redactUrl } from '../../../src-main/core/config/redisUrl.js';
import { systemClock } from '../../../src-main/io/clock.js';
import { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import { ConnectionSession } from '../../../src-main/monitor/connectionSession.js';
import type { QueueProbe } from '../../../src-main/probes/probe.js';
import { rqProbe } from '../../../src-main/probes/rq/rqProbe.js';

/** Per queue: how many jobs to leave waiting, scheduled, failed and started. */
export type RqLayoutSpec = Record<string, { waiting: number; scheduled: number; failed: number; running: number }>;

/**
 * An RQ layout written with the raw commands RQ itself sends (rq/queue.py, registry.py): the
 * `rq:queues` set, `rq:queue:<q>` lists of job ids, job hashes with `enqueued_at`, and the
 * scheduled / failed / started registries scored in epoch seconds. RQ has no cluster support,
 * so on a cluster this is the layout a raw-command writer leaves, spread over the slots.
 */
export function writeRqLayout(run: (args: string[]) => unknown, spec: RqLayoutSpec, nowS: number): void {
  for (const [q, n] of Object.entries(spec)) {
    run(['SADD', 'rq:queues', `rq:queue:${q}`]);
    for (let i = 0; i < n.waiting; i++) {
      const id = `${q}-w${i}`;
      run(['HSET', `rq:job:${id}`, 'status', 'queued', 'origin', q, 'enqueued_at', `2024-05-01T10:00:0${i % 10}.000000Z`]);
      run(['RPUSH', `rq:queue:${q}`, id]);
    }
    for (let i = 0; i < n.scheduled; i++) run(['ZADD', `rq:scheduled:${q}`, String(nowS + 3600 + i), `${q}-s${i}`]);
    for (let i = 0; i < n.failed; i++) run(['ZADD', `rq:failed:${q}`, String(nowS + 86_400), `${q}-f${i}`]);
    for (let i = 0; i < n.running; i++) run(['ZADD', `rq:wip:${q}`, String(nowS + 600), `${q}-r${i}`]);
  }
}

/** The counts of a view's queues, keyed by queue name. */
export function countsOf(view: ConnectionView): Record<string, { waiting: number | null; scheduled: number | null; failed: number | null; running: number | null }> {
  return Object.fromEntries(view.queues.map((q) => [q.queue, { waiting: q.waiting, scheduled: q.scheduled, failed: q.failed, running: q.running }]));
}

/** A monitor session on one URL, as the app builds it (pool + session), with the RQ probe. */
export function sessionOn(url: string, opts: { probes?: readonly QueueProbe<unknown, unknown>[]; connectTimeoutMs?: number } = {}): { pool: IoRedisPool; session: ConnectionSession } {
  const target = parseRedisUrl(url);
  const pool = new IoRedisPool({ target, label: `${target.host}:${target.port}`, connectTimeoutMs: opts.connectTimeoutMs ?? 3000 });
  const session = new ConnectionSession({
    connection: { id: 'prod', kind: 'redis', target, url: redactUrl(url), frameworks: {} },
    server: pool,
    probes: opts.probes ?? [rqProbe as unknown as QueueProbe<unknown, unknown>],
    clock: systemClock,
    options: { rateWindowMs: 600_000, discoveryIntervalMs: 60_000, detectIntervalMs: 300_000, sampleIntervalMs: 30_000, minFinished: 1 },
  });
  return { pool, session };
}

/** The view's Redis broker figures (the union also holds RabbitMQ's); fails when absent or of another kind. */
export function redisBroker(view: ConnectionView): RedisBrokerFigures {
  if (view.broker?.kind !== 'redis') throw new Error(`no Redis broker figures on ${view.id}: ${JSON.stringify(view.broker)}`);
  return view.broker;
}
