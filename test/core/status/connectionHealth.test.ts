import { describe, expect, it } from 'vitest';
import { connectionHealthOf } from '../../../src-main/core/status/connectionHealth.js';
import { connectionView } from './connectionView.js';

const interval = 5_000;
const polledAt = 1_000_000;
const refused = { code: 'TARGET_UNREACHABLE' as const, detail: 'connect ECONNREFUSED 127.0.0.1:6390' };

describe('connectionHealthOf', () => {
  it.each([
    // status, lastGoodPollAt, now, expected status, expected age
    ['ok', polledAt, polledAt, 'ok', 0],
    ['ok', polledAt, polledAt + 15_000, 'ok', 15_000],
    ['ok', polledAt, polledAt + 15_001, 'stale', 15_001],
    ['degraded', polledAt, polledAt + 5_000, 'degraded', 5_000],
    ['degraded', polledAt, polledAt + 60_000, 'stale', 60_000],
    ['ok', null, polledAt, 'stale', null],
    ['unreachable', polledAt, polledAt + 60_000, 'unreachable', 60_000],
    ['unauthorized', null, polledAt, 'unauthorized', null],
    // a clock that stepped back never yields a negative age
    ['ok', polledAt, polledAt - 2_000, 'ok', 0],
  ] as const)('%s polled at %s, seen at %s → %s (age %s)', (status, lastGoodPollAt, now, expected, age) => {
    const health = connectionHealthOf(connectionView('a', { status, lastGoodPollAt }), now, interval);
    expect(health).toEqual({ id: 'a', status: expected, error: null, lastGoodPollAt, lastGoodPollAgeMs: age });
  });

  it('keeps the coded reason of a down connection', () => {
    const view = connectionView('a', { status: 'unreachable', statusReason: refused, lastGoodPollAt: null });
    expect(connectionHealthOf(view, polledAt, interval).error).toEqual(refused);
  });
});
