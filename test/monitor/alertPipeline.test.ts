import { describe, expect, it } from 'vitest';
import type { AlertsView, AlertTransition, NotifyDecision } from '../../src-main/contract/alerts.js';
import type { AlertStore, PersistedAlerts } from '../../src-main/core/alerts/alertStore.js';
import type { DashboardView } from '../../src-main/contract/dashboard.js';
import type { TaskDetail } from '../../src-main/contract/task.js';
import { AlertPipeline, attachAlertPipeline } from '../../src-main/monitor/alertPipeline.js';
import { connection, minute, queue, rule, t0, worker } from '../core/alerts/alertFixtures.js';

function memoryStore(): AlertStore & { saved: PersistedAlerts | null } {
  return { saved: null, load() { return this.saved; }, save(state) { this.saved = structuredClone(state); } };
}

const backlog = (waiting: number, at: number) => [connection(at, { queues: [queue('default', { waiting, takenAt: at })] })];

describe('AlertPipeline', () => {
  it('tells decision, transition and view listeners once per change, in that order', () => {
    const pipeline = new AlertPipeline({ rules: [rule('backlog')] });
    const heard: string[] = [];
    pipeline.onAlertTransition((t: AlertTransition) => heard.push(`transition ${t.from}→${t.to}`));
    pipeline.onAlertDecision((d: NotifyDecision) => heard.push(`decision ${d.reason} ${d.notify}`));
    pipeline.onDidChangeAlerts((v: AlertsView) => heard.push(`view ${v.alerts.map((a) => a.state).join(',')}`));
    pipeline.evaluate(backlog(10, t0), t0);
    pipeline.evaluate(backlog(1500, t0 + minute), t0 + minute);
    pipeline.evaluate(backlog(1400, t0 + 2 * minute), t0 + 2 * minute);
    pipeline.evaluate(backlog(100, t0 + 3 * minute), t0 + 3 * minute);
    expect(heard).toEqual([
      'transition inactive→firing', 'decision first true', 'view firing',
      'view firing', // the value changed
      'transition firing→resolved', 'decision resolved true', 'view resolved',
    ]);
  });

  it('a listener that throws does not stop the others', () => {
    const errors: unknown[] = [];
    const pipeline = new AlertPipeline({ rules: [rule('backlog')], onListenerError: (e) => errors.push(e) });
    const heard: string[] = [];
    pipeline.onAlertDecision(() => { throw new Error('boom'); });
    pipeline.onAlertDecision((d) => heard.push(d.reason));
    pipeline.evaluate(backlog(1500, t0), t0);
    expect([heard, errors.length]).toEqual([['first'], 1]);
  });

  it('carries state across a restart: a firing alert is not notified again', () => {
    const store = memoryStore();
    const first = new AlertPipeline({ rules: [rule('backlog')], store });
    first.evaluate(backlog(1500, t0), t0);
    const second = new AlertPipeline({ rules: [rule('backlog')], store });
    const decisions: NotifyDecision[] = [];
    second.onAlertDecision((d) => decisions.push(d));
    second.evaluate(backlog(1600, t0 + minute), t0 + minute);
    expect(decisions).toEqual([]);
    second.evaluate(backlog(10, t0 + 2 * minute), t0 + 2 * minute);
    expect(decisions.map((d) => [d.reason, d.notify])).toEqual([['resolved', true]]);
  });

  it('carries state across a config reload; alerts of a removed rule resolve', () => {
    const pipeline = new AlertPipeline({ rules: [rule('backlog'), rule('oldestWaiting')] });
    pipeline.evaluate([connection(t0, { queues: [queue('default', { waiting: 1500, oldestWaitingAgeMs: 10 * minute })] })], t0);
    pipeline.reload({ rules: [rule('backlog')] });
    const update = pipeline.evaluate([connection(t0 + minute, { queues: [queue('default', { waiting: 1500, oldestWaitingAgeMs: 10 * minute })] })], t0 + minute);
    expect(update.transitions.map((t) => [t.ruleId, t.to, t.cause])).toEqual([['oldestWaiting', 'resolved', 'ruleRemoved']]);
    expect(pipeline.firing().map((a) => a.ruleId)).toEqual(['backlog']);
  });

  it('acknowledge and snooze are saved and announced', () => {
    const store = memoryStore();
    const pipeline = new AlertPipeline({ rules: [rule('backlog')], store });
    const views: AlertsView[] = [];
    pipeline.onDidChangeAlerts((v) => views.push(v));
    pipeline.evaluate(backlog(1500, t0), t0);
    const key = pipeline.firing()[0]!.key;
    expect(pipeline.acknowledge(key, t0 + 1000)?.acknowledgedAt).toBe(t0 + 1000);
    expect(pipeline.acknowledge('nope', t0 + 1000)).toBeNull();
    pipeline.snooze({ ruleId: 'backlog', until: t0 + 60 * minute }, t0 + 2000);
    expect(store.saved?.alerts[0]?.acknowledgedAt).toBe(t0 + 1000);
    expect(store.saved?.snoozes.map((s) => s.until)).toEqual([t0 + 60 * minute]);
    expect(views.length).toBe(3);
  });
});

describe('attachAlertPipeline and RunningTasks', () => {
  it('evaluates each dashboard at its own time; looks each running task up once; a finished task leaves', async () => {
    const listeners: ((view: DashboardView) => void)[] = [];
    const lookups: string[] = [];
    // A method that needs its `this`, as MonitorService.findTask does.
    const monitor = {
      lookups,
      onDidChangeDashboard: (l: (view: DashboardView) => void) => { listeners.push(l); return () => {}; },
      async findTask(this: { lookups: string[] }, id: string) {
        this.lookups.push(id);
        return { found: [{ id, framework: 'rq', connection: 'prod', queue: 'default', name: 'jobs.slow', state: 'running', startedAt: t0, timeoutMs: 120_000 } as TaskDetail] };
      },
    };
    const pipeline = new AlertPipeline({ rules: [rule('taskTimeout')] });
    const attached = attachAlertPipeline(monitor, pipeline);
    const busy = (at: number, task: string | null) => ({ connections: [connection(at, { workers: [worker('w1', { busy: task !== null, currentTask: task })] })], generatedAt: at });
    const told: string[] = [];
    pipeline.onAlertDecision((d) => told.push(`${d.reason} ${d.alert.labels.task} at +${(d.at - t0) / minute}m`));
    for (const [i, taskId] of ['a', 'a', 'a', 'a', null].entries()) listeners[0]!(busy(t0 + i * minute, taskId));
    await attached.settled();
    expect(lookups).toEqual(['a']);
    expect(told).toEqual(['first a at +3m', 'resolved a at +4m']);
    expect(pipeline.view().alerts[0]).toMatchObject({ threshold: 120_000, state: 'resolved' });
  });
});

describe('AlertPipeline view status', () => {
  it('with the poll interval, each view carries the overall status at its evaluation', () => {
    const pipeline = new AlertPipeline({ rules: [rule('backlog')], pollIntervalMs: 5000 });
    expect(pipeline.view().status).toBeUndefined();
    pipeline.evaluate(backlog(10, t0), t0);
    expect(pipeline.view().status).toBe('ok');
    pipeline.evaluate(backlog(1500, t0 + 5000), t0 + 5000);
    expect(pipeline.view().status).toBe('warning');
    // A poll that failed long ago and nothing firing: stale.
    pipeline.evaluate([connection(t0, { queues: [queue('default', { waiting: 10 })] })], t0 + 60_000);
    expect(pipeline.view().status).toBe('stale');
  });
});
