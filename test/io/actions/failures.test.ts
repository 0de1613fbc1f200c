import { afterEach, describe, expect, it } from 'vitest';
import type { ActionConfig, ActionLogEntry } from '../../../src-main/contract/actions.js';
import { MemoryActionLedger } from '../../../src-main/io/actions/actionLedger.js';
import { createActions, type Action } from '../../../src-main/io/actions/actions.js';
import { noTaskRetrier, type TaskRetrier } from '../../../src-main/io/actions/taskRetrier.js';
import { ActionDispatcher } from '../../../src-main/monitor/actionDispatcher.js';
import { backlogAlert, ended, started, startReceiver, t0 } from './decisions.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function dispatcherOf(configs: ActionConfig[], options: { retrier?: TaskRetrier; concurrency?: number; now?: () => number } = {}) {
  const log: ActionLogEntry[] = [];
  const now = options.now ?? (() => t0);
  const actions = createActions(configs, { env: {}, retrier: options.retrier ?? noTaskRetrier, now });
  const dispatcher = new ActionDispatcher({ actions, ledger: new MemoryActionLedger(), log: (e) => log.push(e), now, concurrency: options.concurrency });
  return { dispatcher, log };
}

describe('failing actions are logged, never thrown', () => {
  it('a webhook answering 500 and one timing out are logged with the reason', async () => {
    const failing = await startReceiver((_c, res) => void res.writeHead(500).end('{"error":"down"}'));
    const silent = await startReceiver(() => new Promise(() => {}));
    closers.push(failing.close, silent.close);
    const { dispatcher, log } = dispatcherOf([
      { id: 'failing', kind: 'webhook', url: failing.url },
      { id: 'silent', kind: 'webhook', url: silent.url, timeout: '300ms' },
    ]);
    expect(() => dispatcher.dispatch([started()])).not.toThrow();
    await dispatcher.idle();
    expect(log.map((e) => [e.actionId, e.event, e.outcome, e.detail, e.output])).toEqual([
      ['failing', 'start', 'failed', 'HTTP 500', '{"error":"down"}'],
      ['silent', 'start', 'timeout', 'no answer within 300 ms', undefined],
    ]);
    expect(failing.calls).toHaveLength(1);
  });

  it('a command that times out is killed and logged; a missing webhook URL variable is logged', async () => {
    const { dispatcher, log } = dispatcherOf([
      { id: 'slow', kind: 'command', command: ['/bin/sleep', '300'], timeout: '300ms' },
      { id: 'unset', kind: 'webhook', urlEnv: 'TASK_STATUS_TEST_UNSET_URL' },
    ]);
    dispatcher.dispatch([started()]);
    await dispatcher.idle();
    expect(log.map((e) => [e.actionId, e.outcome, e.detail])).toEqual([
      ['unset', 'failed', 'environment variable TASK_STATUS_TEST_UNSET_URL is not set'],
      ['slow', 'timeout', 'killed after 300 ms'],
    ]);
  });

  it('an action that throws, and a log that throws, do not escape', async () => {
    const throwing: Action = { id: 'bad', kind: 'webhook', run: async () => { throw new Error('bug'); } };
    const log: ActionLogEntry[] = [];
    const dispatcher = new ActionDispatcher({ actions: [throwing], ledger: new MemoryActionLedger(), now: () => t0, log: (e) => log.push(e) });
    dispatcher.dispatch([started()]);
    await dispatcher.idle();
    expect(log.map((e) => [e.outcome, e.detail])).toEqual([['failed', 'action threw: bug']]);
    const noisy = new ActionDispatcher({ actions: [throwing], ledger: new MemoryActionLedger(), now: () => t0, log: () => { throw new Error('disk full'); } });
    noisy.dispatch([started()]);
    await expect(noisy.idle()).resolves.toBeUndefined();
  });
});

describe('a slow webhook never stalls polling', () => {
  it('dispatch returns while the webhook is still held; runs beyond the concurrency limit wait their turn', async () => {
    const release: Array<() => void> = [];
    const slow = await startReceiver(() => new Promise<void>((resolve) => release.push(resolve)));
    closers.push(slow.close);
    const { dispatcher, log } = dispatcherOf([{ id: 'slow', kind: 'webhook', url: slow.url }], { concurrency: 1 });
    const other = backlogAlert({ key: 'backlog{connection="prod",queue="other"}', labels: { connection: 'prod', framework: 'rq', queue: 'other' } });
    dispatcher.dispatch([started(), started(other)]);
    // Returned at once: nothing logged yet, one request held by the receiver, the second queued.
    expect(log).toEqual([]);
    while (slow.calls.length < 1) await new Promise((r) => setTimeout(r, 10));
    expect(slow.calls).toHaveLength(1);
    release.shift()!();
    while (slow.calls.length < 2) await new Promise((r) => setTimeout(r, 10));
    release.shift()!();
    await dispatcher.idle();
    expect(log.map((e) => [e.alertKey, e.outcome])).toEqual([[backlogAlert().key, 'ok'], [other.key, 'ok']]);
  });

  it('runs beyond the queue bound are dropped and logged', async () => {
    const held: Action = { id: 'held', kind: 'webhook', run: () => new Promise(() => {}) };
    const log: ActionLogEntry[] = [];
    const dispatcher = new ActionDispatcher({ actions: [held], ledger: new MemoryActionLedger(), now: () => t0, log: (e) => log.push(e), concurrency: 1, maxQueued: 1 });
    const alerts = [0, 1, 2].map((i) => backlogAlert({ key: `k${i}` }));
    dispatcher.dispatch(alerts.map((a) => started(a)));
    expect(log.map((e) => [e.alertKey, e.outcome, e.detail])).toEqual([['k2', 'skipped', 'too many action runs waiting; dropped']]);
  });
});

describe('automatic retry', () => {
  it('is logged as not supported for a framework without a write side', async () => {
    const { dispatcher, log } = dispatcherOf([{ id: 'retry', kind: 'retry' }]);
    dispatcher.dispatch([started(), ended()]);
    await dispatcher.idle();
    expect(log.map((e) => [e.event, e.outcome, e.detail])).toEqual([
      ['start', 'unsupported', 'automatic retry is not supported for rq'],
      ['end', 'skipped', 'nothing to retry when an incident ends'],
    ]);
  });

  it('retries within the hourly budget, then says the budget is spent, and again after the hour', async () => {
    const asked: Array<[string, number]> = [];
    const retrier: TaskRetrier = {
      supports: (fw) => fw === 'rq',
      retryFailed: async (target, limit) => {
        asked.push([target.queue, limit]);
        return { retried: Array.from({ length: Math.min(limit, 3) }, (_, i) => `${target.queue}-${i}`) };
      },
    };
    let now = t0;
    const { dispatcher, log } = dispatcherOf([{ id: 'retry', kind: 'retry', maxPerHour: 5, when: { on: ['start', 'repeat'] } }], { retrier, now: () => now });
    const repeat = (at: number) => ({ ...started(), reason: 'repeat' as const, at });
    dispatcher.dispatch([started()]);
    await dispatcher.idle();
    now = t0 + 60_000;
    dispatcher.dispatch([repeat(now)]);
    await dispatcher.idle();
    now = t0 + 120_000;
    dispatcher.dispatch([repeat(now)]);
    await dispatcher.idle();
    now = t0 + 3_600_000;
    dispatcher.dispatch([repeat(now)]);
    await dispatcher.idle();
    // The hour after the first run frees its 3; the 2 of the second are still spent.
    expect(asked).toEqual([['default', 5], ['default', 2], ['default', 3]]);
    expect(log.map((e) => [e.event, e.outcome, e.detail])).toEqual([
      ['start', 'ok', 'retried 3 failed task(s): default-0, default-1, default-2'],
      ['repeat', 'ok', 'retried 2 failed task(s): default-0, default-1'],
      ['repeat', 'rateLimited', 'the budget of 5 retries an hour is spent'],
      ['repeat', 'ok', 'retried 3 failed task(s): default-0, default-1, default-2'],
    ]);
  });
});

describe('following the alert pipeline', () => {
  it('dispatches each decision the source emits until unsubscribed', async () => {
    const listeners = new Set<(d: ReturnType<typeof started>) => void>();
    const source = { onAlertDecision: (l: (d: ReturnType<typeof started>) => void) => (listeners.add(l), () => void listeners.delete(l)) };
    const ran: string[] = [];
    const action: Action = { id: 'a', kind: 'webhook', run: async (_d, event) => (ran.push(event), { outcome: 'ok', detail: 'HTTP 200' }) };
    const dispatcher = new ActionDispatcher({ actions: [action], ledger: new MemoryActionLedger(), now: () => t0, log: () => {} });
    const stop = dispatcher.follow(source);
    for (const l of listeners) l(started());
    stop();
    for (const l of listeners) l(ended());
    await dispatcher.idle();
    expect(ran).toEqual(['start']);
    expect(listeners.size).toBe(0);
  });
});

describe('Alertmanager runs on reminders by default', () => {
  it('re-posts the firing alert at each reminder (Alertmanager forgets alerts not re-sent); others do not', async () => {
    const am = await startReceiver();
    const hook = await startReceiver();
    closers.push(am.close, hook.close);
    // One at a time, so the receivers see the runs in the order they were dispatched.
    const { dispatcher } = dispatcherOf([{ id: 'am', kind: 'alertmanager', url: am.url }, { id: 'hook', kind: 'webhook', url: hook.url }], { concurrency: 1 });
    dispatcher.dispatch([started(), { ...started(), reason: 'repeat', at: t0 + 3_600_000 }, ended()]);
    await dispatcher.idle();
    expect(am.calls.map((c) => (c.body as Array<{ endsAt?: string }>)[0]!.endsAt ?? 'firing')).toEqual(['firing', 'firing', new Date(t0 + 300_000).toISOString()]);
    expect(hook.calls.map((c) => (c.body as { event: string }).event)).toEqual(['start', 'end']);
  });
});

describe('secret headers from the environment', () => {
  it('are sent with their value; a variable not set fails the run and says which', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const configs: ActionConfig[] = [
      { id: 'auth', kind: 'webhook', url: receiver.url, headers: { 'x-team': 'ops' }, headersEnv: { authorization: 'TEST_HOOK_AUTH' } },
      { id: 'missing', kind: 'alertmanager', url: receiver.url, headersEnv: { authorization: 'TEST_UNSET_AUTH' } },
    ];
    const log: ActionLogEntry[] = [];
    const actions = createActions(configs, { env: { TEST_HOOK_AUTH: 'Bearer s3cret' }, retrier: noTaskRetrier, now: () => t0 });
    const dispatcher = new ActionDispatcher({ actions, ledger: new MemoryActionLedger(), now: () => t0, log: (e) => log.push(e), concurrency: 1 });
    dispatcher.dispatch([started()]);
    await dispatcher.idle();
    expect(receiver.calls).toHaveLength(1);
    expect([receiver.calls[0]!.headers.authorization, receiver.calls[0]!.headers['x-team']]).toEqual(['Bearer s3cret', 'ops']);
    expect(log.map((e) => [e.actionId, e.outcome, e.detail])).toEqual([
      ['auth', 'ok', 'HTTP 200'],
      ['missing', 'failed', 'environment variable TEST_UNSET_AUTH (header authorization) is not set'],
    ]);
  });
});
