import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src-main/contract/api.js';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { setupStatusFeed } from '../../../src-main/shells/electron/statusFeed.js';
import type { TrayView } from '../../../src-main/shells/electron/trayModel.js';
import { connectionView } from '../../core/status/connectionView.js';

const t0 = 1_000_000;
const interval = 5000;

function fakeMonitor(first: DashboardView | Error) {
  let listener: ((view: DashboardView) => void) | null = null;
  const api = {
    getDashboard: vi.fn(async () => {
      if (first instanceof Error) throw first;
      return first;
    }),
    getQueues: vi.fn(),
    getTask: vi.fn(),
    onDidChangeDashboard: vi.fn((l: (view: DashboardView) => void) => {
      listener = l;
      return () => {
        listener = null;
      };
    }),
  } as unknown as Api;
  return { api, emit: (view: DashboardView) => listener?.(view), isSubscribed: () => listener !== null };
}

const dashboardAt = (lastGoodPollAt: number | null, status: 'ok' | 'unreachable' = 'ok'): DashboardView =>
  ({ connections: [connectionView('prod', { lastGoodPollAt, status })], generatedAt: lastGoodPollAt ?? t0 });

describe('setupStatusFeed: a timeline, 5 s polls', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(t0);
  });
  afterEach(() => vi.useRealTimers());

  it('follows events, and turns stale on the timer when the events stop', async () => {
    const monitor = fakeMonitor(dashboardAt(null));
    const shown: Array<[number, TrayView['status']]> = [];
    const feed = setupStatusFeed({ api: monitor.api, pollIntervalMs: interval, now: () => Date.now(), show: (v) => shown.push([Date.now() - t0, v.status]) });
    await vi.advanceTimersByTimeAsync(0); // the first getDashboard answers: never polled yet
    monitor.emit(dashboardAt(t0)); // first poll
    await vi.advanceTimersByTimeAsync(5000);
    monitor.emit(dashboardAt(t0 + 5000));
    await vi.advanceTimersByTimeAsync(20_000); // the monitor goes quiet
    monitor.emit(dashboardAt(t0 + 5000, 'unreachable'));
    await vi.advanceTimersByTimeAsync(5000);
    monitor.emit(dashboardAt(t0 + 30_000));
    feed.stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(shown).toEqual([
      [0, 'stale'], // waiting, before getDashboard answers
      [0, 'stale'], // answered: prod not read yet
      [0, 'ok'],
      [5000, 'ok'], // timer
      [5000, 'ok'], // event
      [10_000, 'ok'],
      [15_000, 'ok'],
      [20_000, 'ok'], // last good poll 15 s old: not yet stale
      [25_000, 'stale'], // 20 s old
      [25_000, 'emergency'],
      [30_000, 'emergency'],
      [30_000, 'ok'],
    ]);
    expect(monitor.isSubscribed()).toBe(false);
  });

  it('an event that arrives before getDashboard answers wins', async () => {
    const monitor = fakeMonitor(dashboardAt(null));
    const shown: string[] = [];
    const feed = setupStatusFeed({ api: monitor.api, pollIntervalMs: interval, now: () => Date.now(), show: (v) => shown.push(v.status) });
    monitor.emit(dashboardAt(t0));
    await vi.advanceTimersByTimeAsync(0);
    feed.stop();
    expect(shown).toEqual(['stale', 'ok']);
  });

  it('shows why the monitor could not start', async () => {
    const monitor = fakeMonitor(Object.assign(new Error('x'), { code: 'BAD_URL', detail: '"redis//x": not a URL' }));
    const shown: TrayView[] = [];
    const feed = setupStatusFeed({ api: monitor.api, pollIntervalMs: interval, now: () => Date.now(), show: (v) => shown.push(v) });
    await vi.advanceTimersByTimeAsync(0);
    feed.stop();
    expect(shown.at(-1)!.tooltip).toBe('task-status: Stale: not monitoring (bad URL: "redis//x": not a URL)');
  });
});
