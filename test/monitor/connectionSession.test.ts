import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-main/contract/errors.js';
import { parseRedisUrl } from '../../src-main/core/config/redisUrl.js';
import type { Clock } from '../../src-main/io/clock.js';
import type { RedisReader, RedisServerConnection } from '../../src-main/io/redis/redisReader.js';
import { ConnectionSession } from '../../src-main/monitor/connectionSession.js';
import type { ProbeReading, QueueProbe } from '../../src-main/probes/probe.js';

/**
 * The session's own decisions, with the broker replaced by a scripted one (the probes and the
 * Redis pool are tested against real servers elsewhere): cadences, joined polls, status.
 */
class FakeClock implements Clock {
  constructor(public t: number) {}
  now() { return this.t; }
  async sleep(ms: number) { this.t += ms; }
}

function fakeServer(fail: () => ApiError | null): RedisServerConnection & { pings: number } {
  const server = {
    pings: 0,
    traffic: { commands: 0, roundTrips: 0 },
    reader(db: number): RedisReader {
      return {
        db,
        batch: async (commands) => {
          const error = fail();
          if (error) throw error;
          server.pings += 1;
          server.traffic.commands += commands.length;
          server.traffic.roundTrips += 1;
          return commands.map(() => 'PONG');
        },
        scanKeys: async () => [],
        scanKeysBuffer: async () => [],
      };
    },
    info: async () => 'db0:keys=3,expires=0\r\ndb4:keys=1,expires=0\r\ndb7:keys=0,expires=0',
    subscribe: async () => {},
    close: async () => {},
  };
  return server;
}

function countingProbe(calls: Record<string, number>, waiting: () => number): QueueProbe<unknown, unknown> {
  return {
    framework: 'rq',
    capabilities: { workers: true, taskDetail: false },
    detect: async (ctx) => { calls.detect = (calls.detect ?? 0) + 1; return ctx.redis.db === 0 ? [{ framework: 'rq', db: 0, prefix: '', source: 'test' }] : []; },
    discover: async (ctx) => {
      await ctx.redis.batch([{ cmd: 'SMEMBERS', args: ['queues'] }]);
      calls.discover = (calls.discover ?? 0) + 1;
      return { queues: ['q'] };
    },
    poll: async (ctx): Promise<ProbeReading> => {
      calls.poll = (calls.poll ?? 0) + 1;
      await ctx.redis.batch([{ cmd: 'LLEN', args: ['q'] }]);
      return {
        takenAt: ctx.now, errors: [], workers: [],
        queues: [{ queue: 'q', waiting: waiting(), scheduled: 0, reserved: null, running: 0, failed: 0, dead: null, retrying: null,
          oldestWaitingAt: null, workers: { online: 0, busy: 0, offline: 0 }, notes: {} }],
      };
    },
  };
}

const options = { rateWindowMs: 600_000, discoveryIntervalMs: 60_000, detectIntervalMs: 300_000, sampleIntervalMs: 30_000, minFinished: 1 };

function session(clock: FakeClock, server: RedisServerConnection, probe: QueueProbe<unknown, unknown>, url = 'redis://h:1') {
  const target = parseRedisUrl(url);
  return new ConnectionSession({ connection: { id: 'c', kind: 'redis', target, url, frameworks: {} }, server, probes: [probe], clock, options });
}

describe('ConnectionSession', () => {
  it('detects and discovers on the slow cadences and polls every time', async () => {
    const clock = new FakeClock(1_000_000);
    const calls: Record<string, number> = {};
    const s = session(clock, fakeServer(() => null), countingProbe(calls, () => 5));
    await s.poll();
    // Every database INFO lists with keys is probed (db0 and db4; db7 is empty).
    expect(calls).toEqual({ detect: 2, discover: 1, poll: 1 });
    clock.t += 59_000;
    await s.poll();
    expect(calls).toEqual({ detect: 2, discover: 1, poll: 2 });
    clock.t += 1000;
    await s.poll();
    expect(calls).toEqual({ detect: 2, discover: 2, poll: 3 });
    clock.t += 300_000;
    await s.poll();
    expect(calls).toEqual({ detect: 4, discover: 3, poll: 4 });
  });

  it('a second poll joins the one in flight', async () => {
    const clock = new FakeClock(1_000_000);
    const calls: Record<string, number> = {};
    const s = session(clock, fakeServer(() => null), countingProbe(calls, () => 5), 'redis://h:1/0');
    const [a, b] = await Promise.all([s.poll(), s.poll()]);
    expect(a).toBe(b);
    expect(calls.poll).toBe(1);
  });

  it('unreachable and unauthorized keep the last figures with their time, and recover', async () => {
    const clock = new FakeClock(1_000_000);
    let failure: ApiError | null = null;
    const calls: Record<string, number> = {};
    const s = session(clock, fakeServer(() => failure), countingProbe(calls, () => 5), 'redis://h:1/0');
    const ok = await s.poll();
    expect(ok).toMatchObject({ status: 'ok', statusReason: null, takenAt: 1_000_000, lastGoodPollAt: 1_000_000, frameworks: ['rq'] });
    failure = { code: 'TARGET_UNREACHABLE', detail: 'h:1 refused the connection' };
    clock.t += 5000;
    const down = await s.poll();
    expect(down).toMatchObject({ status: 'unreachable', statusReason: { code: 'TARGET_UNREACHABLE', connection: 'c' }, takenAt: 1_000_000, lastGoodPollAt: 1_000_000 });
    expect(down.queues.map((q) => q.takenAt)).toEqual([1_000_000]);
    failure = { code: 'AUTH_FAILED', detail: 'h:1 refused the username or password' };
    expect((await s.poll()).status).toBe('unauthorized');
    failure = null;
    clock.t += 5000;
    const back = await s.poll();
    expect(back).toMatchObject({ status: 'ok', statusReason: null, lastGoodPollAt: 1_010_000 });
    // After a failure the broker is discovered again: it may have come back with other data.
    expect(calls.discover).toBe(2);
  });

  it('a drain ETA comes from the trend of waiting across polls', async () => {
    const clock = new FakeClock(1_000_000);
    let waiting = 100;
    const s = session(clock, fakeServer(() => null), countingProbe({}, () => waiting), 'redis://h:1/0');
    expect((await s.poll()).queues[0]!.drainEtaMs).toBeNull();
    clock.t += 10_000;
    waiting = 80;
    expect((await s.poll()).queues[0]!.drainEtaMs).toBe(40_000);
  });

  it('with nothing to probe a poll still asks the broker', async () => {
    const clock = new FakeClock(1_000_000);
    const server = fakeServer(() => null);
    const s = session(clock, server, countingProbe({}, () => 0), 'redis://h:1/3');
    const view = await s.poll();
    expect(view).toMatchObject({ status: 'ok', frameworks: [], queues: [], roundTripsPerPoll: 1 });
    expect(server.pings).toBe(1);
  });
});
