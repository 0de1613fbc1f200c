import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IoRedisPool } from '../../src-main/io/redis/ioRedisPool.js';
import { parseRedisUrl } from '../../src-main/core/config/redisUrl.js';
import type { ProbeContext, ProbeReading, QueueProbe } from '../../src-main/probes/probe.js';
import { freePort, startRedis, type PrivateRedis } from '../support/redisServer.js';
import { listFixtures, loadFixture, type RedisFixture } from '../support/fixtures.js';

/**
 * One suite, every probe (STYLE.md habit 2): the recorded layouts of
 * `test/fixtures/redis/<framework>/<version>-<scenario>.json` are loaded into a private Redis and
 * the probe must report exactly what the framework reported when the layout was recorded.
 * Adding a framework version is adding a fixture, not a test file.
 */
export function probeContract(probe: QueueProbe<unknown, unknown>): void {
  const fixtures = listFixtures(probe.framework);

  describe(`${probe.framework} probe contract`, () => {
    let redis: PrivateRedis;
    let pool: IoRedisPool;
    beforeAll(async () => {
      // A user that may read everything but not CLIENT: the locked-down hosted-Redis case.
      redis = await startRedis();
      redis.cli(['ACL', 'SETUSER', 'locked', 'on', '>locked', '~*', '&*', '+@all', '-client']);
      pool = new IoRedisPool({ target: parseRedisUrl(redis.url()), label: 'contract' });
    });
    afterAll(async () => {
      await pool.close();
      await redis.stop();
    });

    it('has at least one recorded layout', () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });

    for (const [index, fixture] of fixtures.entries()) {
      it(`${fixture.version}-${fixture.scenario}: figures equal what ${probe.framework} reported`, async () => {
        const db = index % 16;
        redis.cli(['FLUSHDB'], db);
        await loadFixture(redis.url(), fixture, db);
        const clients = await openClients(redis.port, db, (fixture as ReplayedFixture).clients ?? []);
        try {
          const reading = await readAll(probe, pool, db, fixture.recordedAt);
          expect(figuresOf(reading, fixture)).toEqual(fixture.expect);
        } finally {
          for (const c of clients) c.disconnect();
        }
      });

      it(`${fixture.version}-${fixture.scenario}: a poll is one round trip`, async () => {
        const db = index % 16;
        redis.cli(['FLUSHDB'], db);
        await loadFixture(redis.url(), fixture, db);
        const ctx: ProbeContext = { connectionId: 'contract', redis: pool.reader(db), now: fixture.recordedAt, rateWindowMs: 600_000, config: {} };
        for (const ns of await probe.detect(ctx)) {
          const discovery = await probe.discover(ctx, ns);
          const before = pool.traffic.roundTrips;
          await probe.poll(ctx, ns, discovery, probe.events ? probe.events.initial(ns) : null, null);
          expect(pool.traffic.roundTrips - before).toBe(1);
        }
      });

      it(`${fixture.version}-${fixture.scenario}: without CLIENT permission, counts stay exact`, async () => {
        const db = index % 16;
        redis.cli(['FLUSHDB'], db);
        await loadFixture(redis.url(), fixture, db);
        const locked = new IoRedisPool({ target: parseRedisUrl(`redis://locked:locked@127.0.0.1:${redis.port}`), label: 'locked' });
        try {
          const reading = await readAll(probe, locked, db, fixture.recordedAt);
          const counts = stripWorkers(figuresOf(reading, fixture));
          expect(counts).toEqual(stripWorkers(fixture.expect));
        } finally {
          await locked.close();
        }
      });
    }

    it('an unreachable broker is a coded error, not a crash or a zero', async () => {
      const port = await freePort();
      const gone = new IoRedisPool({ target: parseRedisUrl(`redis://127.0.0.1:${port}`), label: 'gone' });
      try {
        await expect(readAll(probe, gone, 0, Date.now())).rejects.toMatchObject({ code: 'TARGET_UNREACHABLE' });
      } finally {
        await gone.close();
      }
    });
  });
}

/**
 * A fixture may name the clients (CLIENT SETNAME) that were connected to its database when it
 * was recorded: liveness read from CLIENT LIST (RQ workers, BullMQ workers) needs them replayed.
 */
interface ReplayedFixture extends RedisFixture {
  clients?: string[];
}

/** Opens one named connection per recorded client, on the fixture's database. */
async function openClients(port: number, db: number, names: string[]): Promise<Redis[]> {
  return Promise.all(names.map(async (name) => {
    const client = new Redis({ host: '127.0.0.1', port, db, connectionName: name, lazyConnect: true });
    await client.connect();
    return client;
  }));
}

/** detect → discover → poll (and sample) on one database, as the monitor does. */
export async function readAll(probe: QueueProbe<unknown, unknown>, pool: IoRedisPool, db: number, now: number): Promise<ProbeReading[]> {
  const ctx: ProbeContext = { connectionId: 'contract', redis: pool.reader(db), now, rateWindowMs: 600_000, config: {} };
  const namespaces = await probe.detect(ctx);
  const readings: ProbeReading[] = [];
  for (const ns of namespaces) {
    const discovery = await probe.discover(ctx, ns);
    const events = probe.events ? probe.events.initial(ns) : null;
    readings.push(await probe.poll(ctx, ns, discovery, events, null));
  }
  return readings;
}

/** The figures a fixture names, taken from the readings, keyed like `fixture.expect`. */
function figuresOf(readings: ProbeReading[], fixture: RedisFixture): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [queue, expected] of Object.entries(fixture.expect)) {
    const q = readings.flatMap((r) => r.queues).find((x) => x.queue === queue);
    out[queue] = {};
    for (const name of Object.keys(expected)) {
      const value = name.startsWith('workers.')
        ? (q?.workers as unknown as Record<string, unknown> | undefined)?.[name.slice('workers.'.length)]
        : (q as unknown as Record<string, unknown> | undefined)?.[name];
      out[queue][name] = value === undefined ? 'missing' : value;
    }
  }
  return out;
}

function stripWorkers(figures: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(figures).map(([q, f]) =>
    [q, Object.fromEntries(Object.entries(f).filter(([k]) => !k.startsWith('workers.')))]));
}
