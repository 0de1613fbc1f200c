import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../src-main/contract/dashboard.js';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { connectionView } from './connectionView.js';

const interval = 5_000;
const t0 = 1_000_000;
const refused = { code: 'TARGET_UNREACHABLE' as const, detail: 'connect ECONNREFUSED 127.0.0.1:6390' };
const noPerm = { code: 'PERMISSION_DENIED' as const, detail: 'CLIENT LIST' };

describe('overallStatusOf: which status', () => {
  const ok = connectionView('ok');
  const degraded = connectionView('deg', { status: 'degraded', statusReason: noPerm });
  const unreachable = connectionView('down', { status: 'unreachable', statusReason: refused, lastGoodPollAt: null });
  const unauthorized = connectionView('auth', { status: 'unauthorized', lastGoodPollAt: t0 - 60_000 });
  const old = connectionView('old', { lastGoodPollAt: t0 - 20_000 });
  const never = connectionView('new', { lastGoodPollAt: null, takenAt: null });

  it.each<[string, ConnectionView[], string, string]>([
    ['nothing configured', [], 'ok', 'noConnections'],
    ['one good connection', [ok], 'ok', 'allRead'],
    ['degraded fires nothing by itself', [ok, degraded], 'ok', 'allRead'],
    ['an unreachable broker', [ok, unreachable], 'emergency', 'brokerDown'],
    ['a refused password', [unauthorized], 'emergency', 'brokerDown'],
    ['a poll older than three intervals', [ok, old], 'stale', 'stale'],
    ['a connection never read', [never, ok], 'stale', 'stale'],
    ['down beats stale', [old, unreachable], 'emergency', 'brokerDown'],
  ])('%s', (_name, connections, status, reason) => {
    const verdict = overallStatusOf(connections, t0, interval);
    expect([verdict.status, verdict.reason.kind]).toEqual([status, reason]);
  });

  it('names the down connections, and only them', () => {
    const verdict = overallStatusOf([ok, unreachable, unauthorized], t0, interval);
    expect(verdict.reason.kind === 'brokerDown' && verdict.reason.connections.map((c) => [c.id, c.status]))
      .toEqual([['down', 'unreachable'], ['auth', 'unauthorized']]);
  });

  it('lists degraded connections in an ok verdict', () => {
    expect(overallStatusOf([ok, degraded], t0, interval).reason)
      .toEqual({ kind: 'allRead', connectionCount: 2, degraded: ['deg'] });
  });

  it('names the stale connections with their ages', () => {
    const verdict = overallStatusOf([ok, old, never], t0, interval);
    expect(verdict.reason.kind === 'stale' && verdict.reason.connections.map((c) => [c.id, c.lastGoodPollAgeMs]))
      .toEqual([['old', 20_000], ['new', null]]);
  });
});

describe('overallStatusOf: a timeline, 5 s polls', () => {
  // A broker read at t0, t0+5s, t0+10s; then polls stop answering (the monitor hangs), then it
  // is found unreachable at t0+30s, then read again at t0+40s.
  const steps: Array<[number, Partial<ConnectionView>, string]> = [
    [0, { lastGoodPollAt: t0 }, 'ok'],
    [5_000, { lastGoodPollAt: t0 + 5_000 }, 'ok'],
    [10_000, { lastGoodPollAt: t0 + 10_000 }, 'ok'],
    [20_000, { lastGoodPollAt: t0 + 10_000 }, 'ok'],
    [25_000, { lastGoodPollAt: t0 + 10_000 }, 'ok'],
    [25_001, { lastGoodPollAt: t0 + 10_000 }, 'stale'],
    [30_000, { lastGoodPollAt: t0 + 10_000, status: 'unreachable', statusReason: refused }, 'emergency'],
    [35_000, { lastGoodPollAt: t0 + 10_000, status: 'unreachable', statusReason: refused }, 'emergency'],
    [40_000, { lastGoodPollAt: t0 + 40_000 }, 'ok'],
  ];
  it.each(steps)('at +%i ms → %s', (offset, view, expected) => {
    expect(overallStatusOf([connectionView('a', view)], t0 + offset, interval).status).toBe(expected);
  });
});
