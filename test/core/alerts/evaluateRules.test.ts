import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, snoozeAlerts } from '../../../src-main/core/alerts/acknowledge.js';
import { connection, minute, queue, queueSeries, rule, runTimeline, statesOf, t0 } from './alertFixtures.js';

// Timelines (STYLE.md habit 4): a series at 1-minute steps, then the state and the
// notifications expected at each step. `-` in a notification row: nothing.

describe('for and clear: a flapping value notifies once', () => {
  it('backlog 500 1500 950 1200 950 1050 800 at 1 min (clear at <= 900): fires once, resolves once', () => {
    const steps = runTimeline([rule('backlog')], 7, queueSeries('waiting', [500, 1500, 950, 1200, 950, 1050, 800]));
    expect(statesOf(steps, 'backlog')).toEqual(['inactive', 'firing', 'firing', 'firing', 'firing', 'firing', 'resolved']);
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['-', 'first', '-', '-', '-', '-', 'resolved']);
  });

  it('without a clear condition a value crossing back and forth is several incidents', () => {
    const noClear = rule('backlog');
    delete noClear.clear;
    const steps = runTimeline([noClear], 4, queueSeries('waiting', [1500, 950, 1200, 950]));
    expect(statesOf(steps, 'backlog')).toEqual(['firing', 'resolved', 'firing', 'resolved']);
  });

  it('for 2m: 0 1500 1500 1500 1500 0 → inactive, pending, pending, firing, firing, resolved', () => {
    const steps = runTimeline([rule('backlog', { forMs: 2 * minute })], 6, queueSeries('waiting', [0, 1500, 1500, 1500, 1500, 0]));
    expect(statesOf(steps, 'backlog')).toEqual(['inactive', 'pending', 'pending', 'firing', 'firing', 'resolved']);
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['-', '-', '-', 'first', '-', 'resolved']);
  });

  it('for 2m: a pending alert whose condition stops holding drops back without a notification', () => {
    const steps = runTimeline([rule('backlog', { forMs: 2 * minute })], 6, queueSeries('waiting', [1500, 1500, 10, 1500, 1500, 1500]));
    expect(statesOf(steps, 'backlog')).toEqual(['pending', 'pending', 'inactive', 'pending', 'pending', 'firing']);
    expect(steps.flatMap((s) => s.notified)).toEqual(['first']);
    expect(steps[5]!.state.alerts[0]!.activeAt).toBe(t0 + 3 * minute);
  });

  it('keepFiringFor 2m: stays firing two minutes after the clear condition first held', () => {
    const steps = runTimeline([rule('backlog', { keepFiringForMs: 2 * minute })], 6, queueSeries('waiting', [1500, 100, 100, 1500, 100, 100]));
    expect(statesOf(steps, 'backlog')).toEqual(['firing', 'firing', 'firing', 'firing', 'firing', 'firing']);
    const longer = runTimeline([rule('backlog', { keepFiringForMs: 2 * minute })], 5, queueSeries('waiting', [1500, 100, 100, 100, 100]));
    expect(statesOf(longer, 'backlog')).toEqual(['firing', 'firing', 'firing', 'resolved', 'resolved']);
  });

  it('an unknown figure neither fires nor resolves: firing stays firing, pending drops', () => {
    const firing = runTimeline([rule('backlog')], 4, queueSeries('waiting', [1500, null, null, 100]));
    expect(statesOf(firing, 'backlog')).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(firing[1]!.state.alerts[0]!.value).toBeNull();
    const pending = runTimeline([rule('backlog', { forMs: 2 * minute })], 3, queueSeries('waiting', [1500, null, 1500]));
    expect(statesOf(pending, 'backlog')).toEqual(['pending', 'inactive', 'pending']);
  });

  it('a resolved alert is kept 15 minutes for display, then dropped', () => {
    const steps = runTimeline([rule('backlog')], 4, queueSeries('waiting', [1500, 0, 0, 0]), { stepMs: 10 * minute });
    expect(statesOf(steps, 'backlog')).toEqual(['firing', 'resolved', 'resolved', 'inactive']);
  });
});

describe('ratios need a minimum of finished tasks', () => {
  const failures = (ratios: (number | null)[], finished: number[]) => (i: number, at: number) =>
    [connection(at, { queues: [queue('default', { successRatio: ratios[i] === null ? null : 1 - ratios[i]!, finishedCount: finished[i], takenAt: at })] })];

  it('failure ratio 50% over 4 finished is too few to judge; 10% over 40 fires; 3% over 60 resolves', () => {
    const steps = runTimeline([rule('failureRatio')], 4, failures([0.5, 0.1, 0.1, 0.03], [4, 40, 45, 60]));
    expect(statesOf(steps, 'failureRatio')).toEqual(['inactive', 'firing', 'firing', 'resolved']);
    expect(steps[1]!.state.alerts[0]!.value).toBe(0.1);
  });

  it('hysteresis: 6% fires, 4.5% keeps firing (clear at <= 4%), 4% resolves', () => {
    const steps = runTimeline([rule('failureRatio')], 4, failures([0.06, 0.045, 0.045, 0.04], [100, 100, 100, 100]));
    expect(statesOf(steps, 'failureRatio')).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(steps.flatMap((s) => s.notified)).toEqual(['first', 'resolved']);
  });

  it('nothing finished in the window: no failure, the incident is over', () => {
    const steps = runTimeline([rule('failureRatio')], 3, failures([0.5, null, null], [30, 5, 0]));
    expect(statesOf(steps, 'failureRatio')).toEqual(['firing', 'firing', 'resolved']);
  });
});

describe('notifications', () => {
  const firingThroughout = queueSeries('waiting', [1500, 1500, 1500, 1500, 1500, 1500, 1500, 0]);

  it('renotify is off by default: one notification however long it fires', () => {
    const steps = runTimeline([rule('backlog')], 8, firingThroughout, { stepMs: 30 * minute });
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first', '-', '-', '-', '-', '-', '-', 'resolved']);
  });

  it('renotify 1h: a reminder each hour while firing', () => {
    const steps = runTimeline([rule('backlog', { renotifyMs: 60 * minute })], 8, firingThroughout, { stepMs: 30 * minute });
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first', '-', 'repeat', '-', 'repeat', '-', 'repeat', 'resolved']);
  });

  it('acknowledged: no reminders; the recovery is still told', () => {
    const steps = runTimeline([rule('backlog', { renotifyMs: 60 * minute })], 8, firingThroughout, {
      stepMs: 30 * minute,
      before: (i, state, at) => (i === 1 ? acknowledgeAlert(state, state.alerts[0]!.key, at)!.state : state),
    });
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first', '-', '-', '-', '-', '-', '-', 'resolved']);
  });

  it('acknowledging a pending alert holds its first notification back; a new incident is told again', () => {
    const steps = runTimeline([rule('backlog', { forMs: 2 * minute })], 8, queueSeries('waiting', [1500, 1500, 1500, 1500, 0, 1500, 1500, 1500]), {
      before: (i, state, at) => (i === 1 ? acknowledgeAlert(state, state.alerts[0]!.key, at)!.state : state),
    });
    expect(statesOf(steps, 'backlog')).toEqual(['pending', 'pending', 'firing', 'firing', 'resolved', 'pending', 'pending', 'firing']);
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['-', '-', 'first/acknowledged', '-', '-', '-', '-', 'first']);
  });

  it('snoozed for 2h: the first notification waits for the snooze to end, then comes once', () => {
    const steps = runTimeline([rule('backlog')], 8, firingThroughout, {
      stepMs: 30 * minute,
      before: (i, state, at) => (i === 0 ? snoozeAlerts(state, { ruleId: 'backlog', forMs: 120 * minute }, at).state : state),
    });
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first/snoozed', '-', '-', '-', 'first', '-', '-', 'resolved']);
    expect(steps[4]!.state.snoozes).toEqual([]);
  });

  it('snoozed incident that recovers before the snooze ends: nobody hears either', () => {
    const steps = runTimeline([rule('backlog')], 3, queueSeries('waiting', [1500, 1500, 0]), {
      before: (i, state, at) => (i === 1 ? snoozeAlerts(state, { key: state.alerts[0]!.key, until: at + 60 * minute }, at).state : state),
    });
    // Fired before the snooze (told), so its recovery is told even while snoozed.
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first', '-', 'resolved']);
    const never = runTimeline([rule('backlog')], 3, queueSeries('waiting', [500, 1500, 0]), {
      before: (i, state, at) => (i === 0 ? snoozeAlerts(state, { ruleId: 'backlog', until: at + 60 * minute }, at).state : state),
    });
    expect(never.map((s) => s.notified.join() || '-')).toEqual(['-', 'first/snoozed', '-']);
  });

  it('a maintenance window holds back everything it covers, recoveries included; alerts still move', () => {
    const maintenance = [{ id: 'deploy', match: { connection: 'prod' }, startsAt: t0 + minute, endsAt: t0 + 4 * minute }];
    const steps = runTimeline([rule('backlog')], 7, queueSeries('waiting', [0, 1500, 0, 1500, 1500, 1500, 0]), { maintenance });
    expect(statesOf(steps, 'backlog')).toEqual(['inactive', 'firing', 'resolved', 'firing', 'firing', 'firing', 'resolved']);
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['-', 'first/maintenance', '-', 'first/maintenance', 'first', '-', 'resolved']);
  });

  it('a maintenance window of another connection changes nothing', () => {
    const maintenance = [{ id: 'other', match: { connection: 'staging' }, startsAt: t0, endsAt: t0 + 60 * minute }];
    const steps = runTimeline([rule('backlog')], 2, queueSeries('waiting', [1500, 0]), { maintenance });
    expect(steps.map((s) => s.notified.join())).toEqual(['first', 'resolved']);
  });
});

describe('scope', () => {
  it('queue glob and framework: only matching queues have alerts', () => {
    const scoped = rule('backlog', { scope: { queue: 'mail*', framework: 'rq' } });
    const steps = runTimeline([scoped], 1, (_i, at) => [connection(at, {
      queues: [queue('mail.high', { waiting: 2000 }), queue('default', { waiting: 2000 }), queue('mail.low', { waiting: 2000, framework: 'celery' })],
    })]);
    expect(Object.keys(steps[0]!.states)).toEqual(['backlog{connection="prod",framework="rq",namespace="db0",queue="mail.high"}']);
  });

  it('disabled rules evaluate nothing; an alert of a rule disabled later resolves', () => {
    const steps = runTimeline([rule('backlog', { enabled: false })], 1, queueSeries('waiting', [5000]));
    expect(steps[0]!.states).toEqual({});
  });
});
