import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionConfig, ActionLogEntry } from '../../../src-main/contract/actions.js';
import type { NotifyDecision } from '../../../src-main/contract/alerts.js';
import type { ConnectionView } from '../../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../../src-main/contract/figures.js';
import { emptyAlertsState, type AlertsState } from '../../../src-main/core/alerts/alertsState.js';
import { defaultRules } from '../../../src-main/core/alerts/defaultRules.js';
import { evaluateRules } from '../../../src-main/core/alerts/evaluateRules.js';
import { FileActionLedger, MemoryActionLedger } from '../../../src-main/io/actions/actionLedger.js';
import { createActions } from '../../../src-main/io/actions/actions.js';
import { noTaskRetrier } from '../../../src-main/io/actions/taskRetrier.js';
import { ActionDispatcher } from '../../../src-main/monitor/actionDispatcher.js';
import { startReceiver } from './decisions.js';

const dir = mkdtempSync(join(tmpdir(), 'task-status-actions-'));
const hook = join(dir, 'hook.sh');
const calls = join(dir, 'calls');
beforeAll(() => {
  // The command hook: each call writes its TASK_STATUS_* environment to a file of its own.
  writeFileSync(hook, `#!/bin/sh\nenv | grep '^TASK_STATUS_' | sort > "${calls}/$TASK_STATUS_ALERT_EVENT-$$.env"\necho "hook ran for $TASK_STATUS_ALERT_RULE"\n`);
  chmodSync(hook, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  rmSync(calls, { recursive: true, force: true });
});

const t0 = Date.UTC(2026, 11, 4, 8, 0, 0);
const step = 60_000;

function queue(waiting: number, at: number): QueueFigures {
  return {
    connection: 'prod', framework: 'rq', queue: 'default', namespace: 'rq', waiting, scheduled: 0, reserved: null, running: 0,
    failed: 0, dead: null, retrying: null, oldestWaitingAgeMs: 1000, throughputPerMin: 10, waitLatencyMs: null, runLatencyMs: null,
    successRatio: 1, finishedCount: 50, drainEtaMs: null, workers: { online: 2, busy: 2, offline: 0 }, takenAt: at, notes: {},
  };
}

function view(waiting: number, at: number): ConnectionView {
  return {
    id: 'prod', url: 'redis://127.0.0.1:6391/0', status: 'ok', statusReason: null, frameworks: ['rq'], queues: [queue(waiting, at)],
    workers: [], takenAt: at, lastGoodPollAt: at, pollDurationMs: 3, commandsPerPoll: 4, roundTripsPerPoll: 1,
  } as ConnectionView;
}

/**
 * The default backlog rule (fires above 1000, clears at 900 or below) over a backlog that
 * wavers around the threshold, one poll a minute: one incident, so one start and one end.
 */
const backlog = [500, 1200, 1100, 990, 1050, 950, 850, 870, 600];

function runTimeline(dispatch: (decisions: readonly NotifyDecision[]) => void, from = 0, to = backlog.length, start: AlertsState = emptyAlertsState()): AlertsState {
  let state = start;
  for (let i = from; i < to; i++) {
    const at = t0 + i * step;
    const evaluation = evaluateRules({ connections: [view(backlog[i]!, at)] }, state, defaultRules, at);
    state = evaluation.state;
    dispatch(evaluation.notifications);
  }
  return state;
}

async function setup(ledger = new MemoryActionLedger()) {
  const receiver = await startReceiver();
  const alertmanager = await startReceiver();
  closers.push(receiver.close, alertmanager.close);
  rmSync(calls, { recursive: true, force: true });
  mkdirSync(calls, { recursive: true });
  const configs: ActionConfig[] = [
    { id: 'hook', kind: 'command', command: [hook], when: { rules: ['backlog'] } },
    { id: 'json', kind: 'webhook', url: `${receiver.url}/json` },
    { id: 'slack', kind: 'webhook', format: 'slack', urlEnv: 'TEST_SLACK_URL' },
    { id: 'am', kind: 'alertmanager', url: alertmanager.url, generatorUrl: 'http://127.0.0.1:7788' },
    { id: 'critical-only', kind: 'webhook', url: `${receiver.url}/critical`, when: { minLevel: 'critical' } },
  ];
  const log: ActionLogEntry[] = [];
  let now = t0;
  const actions = createActions(configs, { env: { TEST_SLACK_URL: `${receiver.url}/slack` }, retrier: noTaskRetrier, now: () => now });
  // One run at a time: the timeline is dispatched in one go, and the receivers must see the start
  // before the end (polls seconds apart do that in the app).
  const dispatcher = new ActionDispatcher({ actions, ledger, log: (e) => log.push(e), now: () => now, concurrency: 1 });
  return { receiver, alertmanager, dispatcher, log, setNow: (at: number) => (now = at) };
}

function hookCalls(): Array<Record<string, string>> {
  return readdirSync(calls).sort().map((f) => Object.fromEntries(readFileSync(join(calls, f), 'utf8').trim().split('\n').map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1)];
  })));
}

describe('actions over an incident timeline', () => {
  it('the webhook, the Slack webhook, Alertmanager and the command hook each get one call at the start and one at the recovery', async () => {
    const { receiver, alertmanager, dispatcher, log } = await setup();
    runTimeline((d) => dispatcher.dispatch(d));
    await dispatcher.idle();

    const json = receiver.calls.filter((c) => c.url === '/json').map((c) => c.body as { event: string; reason: string; at: number; alert: { state: string; value: number } });
    expect(json.map((b) => [b.event, b.reason, b.at, b.alert.state, b.alert.value])).toEqual([
      ['start', 'first', t0 + step, 'firing', 1200],
      ['end', 'resolved', t0 + 6 * step, 'resolved', 850],
    ]);
    expect(receiver.calls.filter((c) => c.url === '/slack').map((c) => (c.body as { text: string }).text)).toEqual([
      '[FIRING] WARNING: Backlog over 1000 — prod rq default: waiting 1200 > 1000',
      '[RESOLVED] WARNING: Backlog over 1000 — prod rq default: waiting 850 > 1000',
    ]);
    expect(receiver.calls.filter((c) => c.url === '/critical')).toEqual([]);

    expect(alertmanager.calls.map((c) => [c.method, c.url])).toEqual([['POST', '/api/v2/alerts'], ['POST', '/api/v2/alerts']]);
    const labels = { alertname: 'backlog', severity: 'warning', connection: 'prod', framework: 'rq', namespace: 'rq', queue: 'default' };
    expect(alertmanager.calls[0]!.body).toEqual([{
      labels, startsAt: new Date(t0 + step).toISOString(), generatorURL: 'http://127.0.0.1:7788/#/queue/prod/rq/default',
      annotations: { summary: 'Backlog over 1000 — prod rq default: waiting 1200 > 1000', value: '1200', threshold: '1000' },
    }]);
    expect(alertmanager.calls[1]!.body).toEqual([{
      labels, startsAt: new Date(t0 + step).toISOString(), endsAt: new Date(t0 + 6 * step).toISOString(),
      generatorURL: 'http://127.0.0.1:7788/#/queue/prod/rq/default',
      annotations: { summary: 'Backlog over 1000 — prod rq default: waiting 850 > 1000', value: '850', threshold: '1000' },
    }]);

    const hooks = hookCalls();
    expect(hooks).toHaveLength(2);
    const [end, start] = hooks; // files sort end-… before start-…
    expect(start).toMatchObject({
      TASK_STATUS_ALERT_EVENT: 'start', TASK_STATUS_ALERT_STATE: 'firing', TASK_STATUS_ALERT_LEVEL: 'warning', TASK_STATUS_ALERT_RULE: 'backlog',
      TASK_STATUS_ALERT_CONNECTION: 'prod', TASK_STATUS_ALERT_QUEUE: 'default', TASK_STATUS_ALERT_VALUE: '1200',
      TASK_STATUS_ALERT_KEY: 'backlog{connection="prod",framework="rq",namespace="rq",queue="default"}',
      TASK_STATUS_ALERT_SUMMARY: 'Backlog over 1000 — prod rq default: waiting 1200 > 1000',
      TASK_STATUS_ALERT_FIRED_AT: new Date(t0 + step).toISOString(), TASK_STATUS_ALERT_RESOLVED_AT: '',
    });
    expect(end).toMatchObject({ TASK_STATUS_ALERT_EVENT: 'end', TASK_STATUS_ALERT_STATE: 'resolved', TASK_STATUS_ALERT_VALUE: '850',
      TASK_STATUS_ALERT_RESOLVED_AT: new Date(t0 + 6 * step).toISOString() });

    const hookLog = log.filter((e) => e.actionId === 'hook');
    expect(hookLog.map((e) => [e.event, e.outcome, e.detail, e.output])).toEqual([
      ['start', 'ok', 'exit code 0', 'hook ran for backlog\n'],
      ['end', 'ok', 'exit code 0', 'hook ran for backlog\n'],
    ]);
    expect(log.filter((e) => e.outcome !== 'ok')).toEqual([]);
  });

  it('a restart replaying the last decisions calls nothing twice (file ledger)', async () => {
    const ledgerPath = join(dir, 'ledger.json');
    const first = await setup(new FileActionLedger(ledgerPath));
    const seen: NotifyDecision[][] = [];
    const state = runTimeline((d) => {
      seen.push([...d]);
      first.dispatcher.dispatch(d);
    }, 0, 3);
    await first.dispatcher.idle();
    expect(first.receiver.calls.filter((c) => c.url === '/json')).toHaveLength(1);
    for (const close of closers.splice(0)) await close();

    // A new process: a new dispatcher over the ledger file, fed the start decision again (as a
    // pipeline whose persisted state predates the notification would), then the rest.
    const second = await setup(new FileActionLedger(ledgerPath));
    second.dispatcher.dispatch(seen[1]!);
    runTimeline((d) => second.dispatcher.dispatch(d), 3, backlog.length, state);
    await second.dispatcher.idle();
    expect(second.receiver.calls.filter((c) => c.url === '/json').map((c) => (c.body as { event: string }).event)).toEqual(['end']);
    expect(hookCalls().map((e) => e.TASK_STATUS_ALERT_EVENT)).toEqual(['end']);
    expect(second.log.filter((e) => e.actionId === 'json').map((e) => [e.event, e.outcome, e.detail])).toEqual([
      ['start', 'skipped', 'already dispatched (a restart or a replayed decision)'],
      ['end', 'ok', 'HTTP 200'],
    ]);
  });
});
