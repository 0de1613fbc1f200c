import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertEnvOf } from '../../../src-main/io/actions/alertEnv.js';
import { postableAlertsOf } from '../../../src-main/io/actions/alertmanagerBody.js';
import { alertRouteOf } from '../../../src-main/io/actions/alertRoute.js';
import { jsonBodyOf, slackBodyOf } from '../../../src-main/io/actions/webhookBody.js';
import { parseRoute } from '../../../src-renderer/lib/route/route.js';
import { backlogAlert, ended, started, t0 } from './decisions.js';

/**
 * Alertmanager API v2 `postableAlerts` (prometheus/alertmanager api/v2/openapi.yaml): an array
 * of `{labels: labelSet (required), annotations?: labelSet, startsAt?: date-time,
 * endsAt?: date-time, generatorURL?: uri}`, a labelSet being string → string; plus what the
 * server checks on receipt (api/v2/api.go → types.Alert.Validate): label names match
 * `[a-zA-Z_][a-zA-Z0-9_]*`, at least one label, and startsAt not after endsAt.
 */
const labelSet = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string());
const postableAlerts = z.array(z.strictObject({
  labels: labelSet.refine((l) => Object.keys(l).length > 0),
  annotations: labelSet.optional(),
  startsAt: z.iso.datetime().optional(),
  endsAt: z.iso.datetime().optional(),
  generatorURL: z.url().optional(),
}).refine((a) => !a.startsAt || !a.endsAt || a.startsAt <= a.endsAt, 'startsAt after endsAt')).min(1);

describe('alert routes', () => {
  it('a queue alert opens the queue, a task alert the task, a connection alert the dashboard; the renderer reads them back', () => {
    expect(alertRouteOf({ connection: 'prod', framework: 'rq', queue: 'default' })).toBe('#/queue/prod/rq/default');
    expect(parseRoute(alertRouteOf({ connection: 'p/1', framework: 'celery', queue: 'a#b' })))
      .toEqual({ kind: 'queue', connection: 'p/1', framework: 'celery', name: 'a#b' });
    expect(alertRouteOf({ connection: 'prod', framework: 'rq', queue: 'default', task: 'ab/c' })).toBe('#/task/ab%2Fc');
    expect(parseRoute('#/task/ab%2Fc')).toEqual({ kind: 'task', id: 'ab/c' });
    expect(alertRouteOf({ connection: 'prod' })).toBe('#/');
    expect(alertRouteOf({ connection: 'prod', framework: 'celery', worker: 'w1@host' })).toBe('#/');
  });
});

describe('command environment', () => {
  it('describes the alert in TASK_STATUS_ALERT_* variables, every one set', () => {
    expect(alertEnvOf(started(), 'start', 'hook/x')).toEqual({
      TASK_STATUS_ALERT_EVENT: 'start',
      TASK_STATUS_ALERT_REASON: 'first',
      TASK_STATUS_ALERT_STATE: 'firing',
      TASK_STATUS_ALERT_LEVEL: 'warning',
      TASK_STATUS_ALERT_RULE: 'backlog',
      TASK_STATUS_ALERT_KEY: 'backlog{connection="prod",framework="rq",namespace="rq",queue="default"}',
      TASK_STATUS_ALERT_ID: 'hook/x',
      TASK_STATUS_ALERT_SUMMARY: 'Backlog over 1000 — prod rq default: waiting 1523 > 1000',
      TASK_STATUS_ALERT_CONNECTION: 'prod',
      TASK_STATUS_ALERT_FRAMEWORK: 'rq',
      TASK_STATUS_ALERT_NAMESPACE: 'rq',
      TASK_STATUS_ALERT_QUEUE: 'default',
      TASK_STATUS_ALERT_WORKER: '',
      TASK_STATUS_ALERT_TASK: '',
      TASK_STATUS_ALERT_VALUE: '1523',
      TASK_STATUS_ALERT_THRESHOLD: '1000',
      TASK_STATUS_ALERT_AT: '2026-12-04T07:00:00.000Z',
      TASK_STATUS_ALERT_ACTIVE_AT: '2026-12-04T07:00:00.000Z',
      TASK_STATUS_ALERT_FIRED_AT: '2026-12-04T07:00:00.000Z',
      TASK_STATUS_ALERT_RESOLVED_AT: '',
      TASK_STATUS_ALERT_ROUTE: '#/queue/prod/rq/default',
      TASK_STATUS_ALERT_LABELS: '{"connection":"prod","framework":"rq","namespace":"rq","queue":"default"}',
    });
  });

  it('an unreadable figure is an empty VALUE, never 0', () => {
    expect(alertEnvOf(started(backlogAlert({ value: null })), 'start', 'x').TASK_STATUS_ALERT_VALUE).toBe('');
  });
});

describe('webhook bodies', () => {
  it('plain JSON carries the contract Alert unchanged', () => {
    const decision = ended();
    expect(jsonBodyOf(decision, 'end', 'hook/y')).toEqual({
      version: 1, event: 'end', reason: 'resolved', at: t0 + 300_000, dispatchId: 'hook/y', route: '#/queue/prod/rq/default', alert: decision.alert,
    });
  });

  it('Slack: text and blocks, the level in words, mrkdwn control characters escaped', () => {
    const alert = backlogAlert({ summary: 'Backlog over 1000 — prod rq <default> & co: waiting 1523 > 1000' });
    expect(slackBodyOf(started(alert), 'start')).toEqual({
      text: '[FIRING] WARNING: Backlog over 1000 — prod rq <default> & co: waiting 1523 > 1000',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*[FIRING] WARNING*\nBacklog over 1000 — prod rq &lt;default&gt; &amp; co: waiting 1523 &gt; 1000' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'rule backlog · connection=prod, framework=rq, namespace=rq, queue=default' }] },
      ],
    });
    expect(slackBodyOf(ended(), 'end').text).toBe('[RESOLVED] WARNING: Backlog over 1000 — prod rq default: waiting 850 > 1000');
  });
});

describe('Alertmanager API v2 body', () => {
  it('start: labels with alertname and severity, annotations, startsAt, no endsAt, generatorURL to the queue', () => {
    const body = postableAlertsOf(started(), 'start', { labels: { team: 'ops' }, generatorUrl: 'http://127.0.0.1:7788/' });
    expect(body).toEqual([{
      labels: { alertname: 'backlog', severity: 'warning', connection: 'prod', framework: 'rq', namespace: 'rq', queue: 'default', team: 'ops' },
      annotations: { summary: 'Backlog over 1000 — prod rq default: waiting 1523 > 1000', value: '1523', threshold: '1000' },
      startsAt: '2026-12-04T07:00:00.000Z',
      generatorURL: 'http://127.0.0.1:7788/#/queue/prod/rq/default',
    }]);
    expect(postableAlerts.safeParse(body).success).toBe(true);
  });

  it('end: the same labels and startsAt, with endsAt at the recovery', () => {
    const [start] = postableAlertsOf(started(), 'start');
    const body = postableAlertsOf(ended(), 'end');
    expect(body[0]!.labels).toEqual(start!.labels);
    expect(body[0]!.startsAt).toBe(start!.startsAt);
    expect(body[0]!.endsAt).toBe('2026-12-04T07:05:00.000Z');
    expect(postableAlerts.safeParse(body).success).toBe(true);
  });

  it('label names are made valid and empty values left out; an unreadable value is "?"', () => {
    const alert = backlogAlert({ labels: { connection: 'prod', 'task-id': 'x', '9lives': 'y', empty: '' }, value: null });
    const [posted] = postableAlertsOf(started(alert), 'start');
    expect(posted!.labels).toEqual({ alertname: 'backlog', severity: 'warning', connection: 'prod', task_id: 'x', _9lives: 'y' });
    expect(posted!.annotations.value).toBe('?');
    expect(postableAlerts.safeParse([posted]).success).toBe(true);
  });
});
