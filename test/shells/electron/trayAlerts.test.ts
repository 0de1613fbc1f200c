import { describe, expect, it } from 'vitest';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { trayStatusOf } from '../../../src-main/shells/electron/trayAlerts.js';
import { trayViewOf, tooltipMaxLength } from '../../../src-main/shells/electron/trayModel.js';
import { connectionView } from '../../core/status/connectionView.js';
import { alert, backlog, failures, resolvedOf, t0, timeout, unreachable } from './alertFixtures.js';

const interval = 5000;
const okVerdict = overallStatusOf([connectionView('prod')], t0, interval);
const staleVerdict = overallStatusOf([connectionView('prod', { lastGoodPollAt: t0 - 125_000 })], t0, interval);
const labels = (v: ReturnType<typeof trayViewOf>) => v.menu.map((e) => ('label' in e ? e.label : '---'));

describe('trayStatusOf', () => {
  it('is the worst firing level; pending and resolved alerts do not count', () => {
    expect(trayStatusOf('ok', [])).toBe('ok');
    expect(trayStatusOf('ok', [backlog])).toBe('warning');
    expect(trayStatusOf('ok', [backlog, failures, timeout])).toBe('critical');
    expect(trayStatusOf('ok', [{ ...failures, state: 'pending' }, resolvedOf(unreachable, t0)])).toBe('ok');
  });

  it('stale stays distinct when nothing fires; a firing level wins over stale', () => {
    expect(trayStatusOf('stale', [])).toBe('stale');
    expect(trayStatusOf('stale', [{ ...backlog, state: 'pending' }])).toBe('stale');
    expect(trayStatusOf('stale', [backlog])).toBe('warning');
  });

  it('a broker the connections report down is an emergency even before its rule fires', () => {
    expect(trayStatusOf('emergency', [backlog])).toBe('emergency');
  });
});

describe('trayViewOf with alerts', () => {
  it('says what fires in words, worst first, in the tooltip and the menu', () => {
    const v = trayViewOf(okVerdict, [failures, timeout, backlog]);
    expect([v.status, v.title]).toEqual(['critical', 'CRIT']);
    expect(v.tooltip.split('\n')[0]).toBe('task-status: Critical: 3 alerts firing');
    // Windows keeps 127 characters: the headline and the worst alerts come first.
    expect(v.tooltip).toBe('task-status: Critical: 3 alerts firing\nCRITICAL: Failure rate over 5% in 10 min — prod celery emails\nERROR: Task running past …');
    expect(v.tooltip.length).toBeLessThanOrEqual(tooltipMaxLength);
    expect(labels(v)).toEqual([
      'Open window', '---', 'Critical: 3 alerts firing',
      'CRITICAL: Failure rate over 5% in 10 min — prod celery emails: figure 1 > 0',
      'ERROR: Task running past its timeout — prod celery emails task f3b1-9: figure 1 > 0',
      'WARNING: Backlog over 1000 — prod rq default: waiting 1523 > 1000',
      '---', 'prod: ok', '---', 'Quit task-status',
    ]);
    const entries = v.menu.filter((e) => e.kind === 'alert');
    expect(entries.map((e) => e.route)).toEqual(['#/queue/prod/celery/emails', '#/task/f3b1-9', '#/queue/prod/rq/default']);
  });

  it('lists recoveries after what fires, marks acknowledged alerts, and says when data is stale too', () => {
    const v = trayViewOf(staleVerdict, [{ ...backlog, acknowledgedAt: t0 }, resolvedOf(failures, t0)]);
    expect(v.status).toBe('warning');
    expect(labels(v).slice(2, 5)).toEqual([
      'Warning: 1 alert firing (1 acknowledged); no recent poll: prod',
      'WARNING (ack): Backlog over 1000 — prod rq default: waiting 1523 > 1000',
      'Recovered: Failure rate over 5% in 10 min — prod celery emails: figure 1 > 0',
    ]);
  });

  it('stale with nothing firing keeps the stale icon and words', () => {
    const v = trayViewOf(staleVerdict, []);
    expect([v.status, v.title]).toEqual(['stale', 'STALE']);
    expect(labels(v)[2]).toBe('Stale: no recent poll: prod');
  });

  it('keeps the menu short: at most 8 alert lines, then "and N more…"', () => {
    const many = Array.from({ length: 11 }, (_, i) => alert('backlog', 'warning', { connection: 'prod', framework: 'rq', queue: `q${i}` }));
    const v = trayViewOf(okVerdict, many);
    expect(v.menu.filter((e) => e.kind === 'alert')).toHaveLength(8);
    expect(labels(v)).toContain('and 3 more…');
  });
});

describe('the tray and the Api agree on the status', () => {
  it('trayStatusOf gives what core/status/alertStatus gives, for every mix of connections and alerts', async () => {
    const { overallStatusWithAlerts } = await import('../../../src-main/core/status/alertStatus.js');
    const connectionSets = [
      [connectionView('prod')],
      [connectionView('prod', { lastGoodPollAt: t0 - 125_000 })],
      [connectionView('prod', { status: 'unreachable' })],
      [],
    ];
    const alertSets = [[], [backlog], [backlog, failures], [{ ...failures, state: 'pending' as const }], [timeout, unreachable], [resolvedOf(unreachable, t0)]];
    for (const connections of connectionSets) {
      for (const alerts of alertSets) {
        const verdict = overallStatusOf(connections, t0, interval);
        expect(trayStatusOf(verdict.status, alerts)).toBe(overallStatusWithAlerts(connections, alerts, t0, interval).status);
      }
    }
  });
});
