import { describe, expect, it } from 'vitest';
import { actionEventOf, dispatchIdOf, incidentIdOf, matchesWhen } from '../../../src-main/io/actions/incident.js';
import { backlogAlert, ended, started, t0 } from './decisions.js';

describe('incident events', () => {
  it('a first notification starts an incident, a recovery ends it, a reminder repeats it', () => {
    expect(actionEventOf(started())).toBe('start');
    expect(actionEventOf(ended())).toBe('end');
    expect(actionEventOf({ ...started(), reason: 'repeat', at: t0 + 3_600_000 })).toBe('repeat');
  });

  it('a decision held back (snooze, acknowledgement, maintenance) runs no action', () => {
    expect(actionEventOf({ ...started(), notify: false, suppressedBy: 'maintenance' })).toBeNull();
    expect(actionEventOf({ ...started(), notify: false, suppressedBy: 'snoozed' })).toBeNull();
  });

  it('start and end of one incident share its id; the next incident of the same alert has another', () => {
    expect(incidentIdOf(started())).toBe(`${backlogAlert().key}@${t0}`);
    expect(incidentIdOf(ended())).toBe(incidentIdOf(started()));
    const next = backlogAlert({ activeAt: t0 + 600_000, firedAt: t0 + 600_000 });
    expect(incidentIdOf(started(next))).not.toBe(incidentIdOf(started()));
  });

  it('dispatch ids name the action and the edge; each reminder is its own', () => {
    expect(dispatchIdOf('hook', started(), 'start')).toBe(`hook/${backlogAlert().key}@${t0}/start`);
    expect(dispatchIdOf('hook', ended(), 'end')).toBe(`hook/${backlogAlert().key}@${t0}/end`);
    const reminder = { ...started(), reason: 'repeat' as const, at: t0 + 3_600_000 };
    expect(dispatchIdOf('hook', reminder, 'repeat')).toBe(`hook/${backlogAlert().key}@${t0}/repeat/${t0 + 3_600_000}`);
  });
});

describe('matchesWhen', () => {
  it('by default runs on start and end, never on reminders', () => {
    expect(matchesWhen(undefined, started(), 'start')).toBe(true);
    expect(matchesWhen(undefined, ended(), 'end')).toBe(true);
    expect(matchesWhen(undefined, started(), 'repeat')).toBe(false);
    expect(matchesWhen({ on: ['start', 'repeat'] }, started(), 'repeat')).toBe(true);
  });

  it('per rule, per level, from a level up, per connection', () => {
    expect(matchesWhen({ rules: ['backlog'] }, started(), 'start')).toBe(true);
    expect(matchesWhen({ rules: ['failureRatio'] }, started(), 'start')).toBe(false);
    expect(matchesWhen({ levels: ['warning'] }, started(), 'start')).toBe(true);
    expect(matchesWhen({ levels: ['critical', 'emergency'] }, started(), 'start')).toBe(false);
    expect(matchesWhen({ minLevel: 'warning' }, started(), 'start')).toBe(true);
    expect(matchesWhen({ minLevel: 'error' }, started(), 'start')).toBe(false);
    expect(matchesWhen({ minLevel: 'error' }, started(backlogAlert({ level: 'emergency' })), 'start')).toBe(true);
    expect(matchesWhen({ connections: ['prod'] }, started(), 'start')).toBe(true);
    expect(matchesWhen({ connections: ['staging'] }, started(), 'start')).toBe(false);
  });
});
