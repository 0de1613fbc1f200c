import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src-main/contract/alerts.js';
import { checkExitCode, overallStatusWithAlerts } from '../../../src-main/core/status/alertStatus.js';
import { connectionView } from './connectionView.js';

const t0 = 1_000_000;
const interval = 5_000;
const alert = (level: Alert['level'], state: Alert['state'] = 'firing') => ({ level, state });

describe('overallStatusWithAlerts', () => {
  const ok = connectionView('ok');
  const old = connectionView('old', { lastGoodPollAt: t0 - 20_000 });
  const down = connectionView('down', { status: 'unreachable', lastGoodPollAt: null });

  it.each<[string, ReturnType<typeof connectionView>[], ReturnType<typeof alert>[], string, number]>([
    ['all read, nothing fires', [ok], [], 'ok', 0],
    ['pending and resolved alerts do not count', [ok], [alert('critical', 'pending'), alert('emergency', 'resolved')], 'ok', 0],
    ['the worst firing level', [ok], [alert('warning'), alert('critical'), alert('error')], 'critical', 2],
    ['a warning alone', [ok], [alert('warning')], 'warning', 1],
    ['stale without alerts', [ok, old], [], 'stale', 3],
    ['a firing alert outranks staleness', [ok, old], [alert('warning')], 'warning', 1],
    ['a down broker is emergency even with its rule disabled', [ok, down], [alert('warning')], 'emergency', 2],
  ])('%s', (_name, connections, alerts, status, code) => {
    const verdict = overallStatusWithAlerts(connections, alerts, t0, interval);
    expect([verdict.status, checkExitCode(verdict.status, 1)]).toEqual([status, code]);
  });

  it('counts and names the worst firing level', () => {
    expect(overallStatusWithAlerts([ok], [alert('error'), alert('warning'), alert('emergency', 'pending')], t0, interval))
      .toMatchObject({ worstFiring: 'error', firingCount: 2 });
  });

  it('nothing could be evaluated: unknown', () => {
    expect(checkExitCode('ok', 0)).toBe(3);
  });
});
