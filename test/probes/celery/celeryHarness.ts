import type { FrameworkConfig } from '../../../src-main/contract/config.js';
import type { IoRedisPool } from '../../../src-main/io/redis/ioRedisPool.js';
import type { ProbeContext, ProbeNamespace, ProbeReading } from '../../../src-main/probes/probe.js';
import { celeryProbe, type CeleryEventState } from '../../../src-main/probes/celery/celeryProbe.js';
import type { PrivateRedis } from '../../support/redisServer.js';

/** A probe context on one database of a test pool, at the real time (workers use it too). */
export function contextFor(pool: IoRedisPool, db: number, config: FrameworkConfig = {}, now = Date.now()): ProbeContext {
  return { connectionId: 'test', redis: pool.reader(db), now, rateWindowMs: 600_000, config };
}

/**
 * Listens to a namespace's events as the monitor does: the probe's patterns through
 * IoRedisPool.subscribe, each message folded with the arrival time.
 */
export async function listen(pool: IoRedisPool, ns: ProbeNamespace): Promise<CeleryEventState> {
  const source = celeryProbe.events!;
  const state = source.initial(ns);
  await pool.subscribe(source.patterns(ns), (channel, message) => source.fold(state, ns, channel, message, Date.now()));
  source.prune(state, Date.now());
  return state;
}

export function namespace(db: number, prefix = ''): ProbeNamespace {
  return { framework: 'celery', db, prefix, source: 'test' };
}

/** discover + poll of one namespace, as the monitor does on a fresh start. */
export async function pollNamespace(pool: IoRedisPool, ns: ProbeNamespace, events: CeleryEventState | null, config: FrameworkConfig = {}, previous: ProbeReading | null = null): Promise<ProbeReading> {
  const ctx = contextFor(pool, ns.db, config);
  if (events) celeryProbe.events!.prune(events, ctx.now);
  const discovery = await celeryProbe.discover(ctx, ns);
  return celeryProbe.poll(ctx, ns, discovery, events, previous);
}

/** LLEN summed over a queue's list and every `<queue><sep><n>` list, read with redis-cli. */
export function llenAll(redis: PrivateRedis, db: number, key: string, sep = '\x06\x16'): number {
  const subKeys = redis.cli(['--scan', '--pattern', `${key}${sep}*`], db).split('\n').filter(Boolean);
  return [key, ...subKeys].reduce((sum, k) => sum + Number(redis.cli(['LLEN', k], db)), 0);
}
