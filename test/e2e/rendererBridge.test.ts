import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/contract/api.js';
import type { ConnectionView, DashboardView } from '../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../src-main/contract/figures.js';
import type { TaskDetail } from '../../src-main/contract/task.js';
import { startWebServer, type WebServer } from '../../src-main/shells/web/webServer.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { buildRendererInto } from './support/rendererBuild.js';

/**
 * A narrow renderer test through the tray app's transport: a fake preload bridge
 * (`window.taskStatus`) injected before the page runs, holding states that are hard to produce
 * with real workers on demand (huge counts, notes, a degraded and an unreachable connection,
 * an undecodable argument, hostile strings). The real product is tested in webDashboard.test.ts.
 */
const at = Date.UTC(2026, 0, 15, 12, 0, 0);
const queue = (name: string, figures: Partial<QueueFigures>): QueueFigures => ({
  connection: 'prod', framework: 'rq', queue: name, namespace: 'db0', waiting: 0, scheduled: 0, reserved: null, running: 2,
  failed: 0, dead: null, retrying: 0, oldestWaitingAgeMs: 0, throughputPerMin: 0, waitLatencyMs: null, runLatencyMs: null,
  successRatio: null, drainEtaMs: 0, workers: { online: 1, busy: 0, offline: 0 }, takenAt: at, notes: {}, ...figures,
});
const prod: ConnectionView = {
  id: 'prod', url: 'redis://cache.internal:6379', status: 'degraded',
  statusReason: { code: 'PERMISSION_DENIED', detail: 'the user may not run CLIENT LIST', connection: 'prod' },
  frameworks: ['rq'], takenAt: at, lastGoodPollAt: at, pollDurationMs: 3.4, commandsPerPoll: 12, roundTripsPerPoll: 1,
  queues: [
    queue('default', {
      waiting: 12_345, scheduled: 3, running: null, failed: 7, oldestWaitingAgeMs: 200_000, throughputPerMin: 1.5,
      waitLatencyMs: { p50: 850, p95: 4_200 }, runLatencyMs: { p50: 65_000, p95: 7_500_000 }, successRatio: 0.975, drainEtaMs: null,
      notes: { reserved: 'RQ 1.13 has no reserved notion', dead: 'RQ keeps no dead set' },
    }),
    queue('<img src=x onerror=alert(1)>', {}),
  ],
  workers: [
    { name: 'w1', framework: 'rq', connection: 'prod', state: 'online', busy: true, lastSeenAt: at - 4_000, currentTask: 'job-1', queues: ['default'], hostname: 'box', pid: 41 },
    { name: 'w2', framework: 'rq', connection: 'prod', state: 'offline', busy: null, lastSeenAt: null, currentTask: null, queues: null, hostname: null, pid: null },
  ],
};
const down: ConnectionView = {
  id: 'down', url: 'redis://10.9.9.9:6379', status: 'unreachable',
  statusReason: { code: 'TARGET_UNREACHABLE', detail: '10.9.9.9:6379 refused the connection', connection: 'down' },
  frameworks: [], queues: [], workers: [], takenAt: null, lastGoodPollAt: null, pollDurationMs: null, commandsPerPoll: null, roundTripsPerPoll: null,
};
const dashboard: DashboardView = { connections: [prod, down], generatedAt: at };
const task: TaskDetail = {
  id: 'job-1', framework: 'rq', connection: 'prod', queue: 'default', name: 'app.jobs.resize', description: 'app.jobs.resize(<Image>)',
  state: 'failed', args: [1, 'two'], kwargs: { undecodable: true, encoding: 'pickle', bytes: 312, reason: 'a pickle of class app.Point' },
  enqueuedAt: at - 60_000, startedAt: at - 30_000, finishedAt: at - 29_000, worker: 'w1', retries: 2, result: null,
  error: { type: 'ValueError', message: 'bad size', traceback: 'Traceback (most recent call last):\n  File "jobs.py", line 3\nValueError: bad size' },
  sources: ['job hash'],
};

/** Runs in the page before the app: the preload bridge as the tray app would expose it. */
function installBridge(data: { dashboard: DashboardView; task: TaskDetail }): void {
  const listeners = new Set<(view: DashboardView) => void>();
  const bridge: Api = {
    getDashboard: async () => data.dashboard,
    getQueues: async ({ name }) => ({ queues: data.dashboard.connections.flatMap((c) => c.queues).filter((q) => q.queue === name) }),
    getTask: async ({ id }) => {
      if (id === data.task.id) return { task: data.task };
      throw { code: 'TASK_NOT_FOUND', detail: `no task ${id} on any connection` };
    },
    onDidChangeDashboard: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
  };
  const w = window as unknown as { taskStatus: Api; emitDashboard: (view: DashboardView) => void };
  w.taskStatus = bridge;
  w.emitDashboard = (view) => listeners.forEach((listener) => listener(view));
}

describe('renderer through the preload bridge', () => {
  let renderer: ReturnType<typeof buildRendererInto>;
  let server: WebServer;
  let browser: TestBrowser;
  const httpCalls: string[] = [];
  const refuse = (name: string) => async () => {
    httpCalls.push(name);
    throw { code: 'INTERNAL', detail: 'the HTTP transport must not be used when the bridge is present' };
  };

  beforeAll(async () => {
    renderer = buildRendererInto();
    // Serves the files only: with the bridge present the page must not call the HTTP Api.
    const api: Api = { getDashboard: refuse('getDashboard'), getQueues: refuse('getQueues'), getTask: refuse('getTask'), onDidChangeDashboard: () => () => {} };
    server = await startWebServer({ api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    browser = await launchBrowser({ timezoneId: 'Europe/Berlin' });
    await browser.context.addInitScript(installBridge, { dashboard, task });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    renderer?.remove();
  });

  it('shows every figure for people, null apart from 0, status by word and shape', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(server.url);
    const panel = page.locator('article.queue-panel[data-queue="default"]');
    const figure = (key: string) => panel.locator(`[data-figure="${key}"]`);
    await expect.poll(() => figure('waiting').textContent()).toBe('12k');
    expect(await figure('waiting').locator('span').getAttribute('title')).toBe('12,345');
    expect(await figure('waiting').getAttribute('data-value')).toBe('12345');
    const shown: Record<string, string> = {};
    for (const dd of await panel.locator('[data-figure]').all()) shown[(await dd.getAttribute('data-figure'))!] = (await dd.textContent())!.trim();
    expect(shown).toEqual({
      waiting: '12k', scheduled: '3', reserved: '—', running: 'unknown', failed: '7', dead: '—', retrying: '0',
      oldestWaitingAgeMs: '3 min 20 s', throughputPerMin: '1.5/min', 'waitLatencyMs.p50': '850 ms', 'waitLatencyMs.p95': '4.2 s',
      'runLatencyMs.p50': '1 min 5 s', 'runLatencyMs.p95': '2 h 5 min', successRatio: '97.5 %', drainEtaMs: 'unknown',
      'workers.online': '1', 'workers.busy': '0', 'workers.offline': '0',
    });
    expect(await figure('reserved').locator('.unknown').getAttribute('title')).toBe('RQ 1.13 has no reserved notion');
    expect(await panel.locator('.notes').textContent()).toContain('Reserved: RQ 1.13 has no reserved notion');

    const prodSection = page.locator('section[data-connection="prod"]');
    expect((await prodSection.locator('header .mark').textContent())?.trim()).toBe('▲ degraded');
    expect(await prodSection.locator('[role="alert"]').textContent()).toContain('Permission denied the user may not run CLIENT LIST');
    const downSection = page.locator('section[data-connection="down"]');
    expect((await downSection.locator('header .mark').textContent())?.trim()).toBe('✕ unreachable');
    expect(await downSection.textContent()).toContain('No queues found on this connection.');

    const w1 = prodSection.locator('tr[data-worker="w1"]');
    expect((await w1.locator('[data-field="state"]').textContent())?.trim()).toBe('● online');
    expect((await w1.locator('[data-field="busy"]').textContent())?.trim()).toBe('▶ busy');
    expect(await w1.locator('[data-field="lastSeenAt"] time').textContent()).toBe('2026-01-15 12:59:56 CET');
    const w2 = prodSection.locator('tr[data-worker="w2"]');
    expect((await w2.locator('[data-field="state"]').textContent())?.trim()).toBe('○ offline');
    expect((await w2.locator('[data-field="busy"]').textContent())?.trim()).toBe('? unknown');
    expect((await w2.locator('[data-field="lastSeenAt"]').textContent())?.trim()).toBe('unknown');

    // A hostile queue name is text, never markup.
    expect(await page.locator('article.queue-panel h3 a', { hasText: '<img src=x onerror=alert(1)>' }).count()).toBe(1);
    expect(await page.locator('main img').count()).toBe(0);
    await browser.screenshot(page, 'bridge-dashboard-light');
    expect(problems).toEqual([]);
    expect(httpCalls).toEqual([]);
  });

  it('follows the bridge events live', async () => {
    const { page } = await browser.newPage();
    await page.goto(server.url);
    const waiting = page.locator('article.queue-panel[data-queue="default"] [data-figure="waiting"]');
    await expect.poll(() => waiting.textContent()).toBe('12k');
    const next: DashboardView = { ...dashboard, generatedAt: at + 5_000, connections: [{ ...prod, queues: [{ ...prod.queues[0]!, waiting: 7 }] }, down] };
    await page.evaluate((view) => (window as unknown as { emitDashboard(v: DashboardView): void }).emitDashboard(view), next);
    await expect.poll(() => waiting.textContent()).toBe('7');
    // An older view arriving late does not replace a newer one.
    await page.evaluate((view) => (window as unknown as { emitDashboard(v: DashboardView): void }).emitDashboard(view), dashboard);
    expect(await waiting.textContent()).toBe('7');
  });

  it('opens a queue and a task by id', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(server.url);
    await page.locator('article.queue-panel[data-queue="default"] h3 a').click();
    expect(new URL(page.url()).hash).toBe('#/queue/prod/rq/default');
    await expect.poll(() => page.locator('main h2').textContent()).toBe('default · rq on prod');
    expect(await page.locator('table caption').allTextContents()).toEqual(['Workers consuming default (1)', 'Workers of rq whose queues are unknown (1)']);

    await page.locator('tr[data-worker="w1"] [data-field="currentTask"] a').click();
    expect(new URL(page.url()).hash).toBe('#/task/job-1');
    const card = page.locator('article.task');
    await expect.poll(() => card.count()).toBe(1);
    const field = async (name: string) => (await card.locator(`[data-field="${name}"]`).first().textContent())?.trim();
    expect(await field('state')).toBe('✕ failed');
    expect(await field('kwargs')).toBe('⚠ undecodable (312 bytes): a pickle of class app.Point');
    expect(await field('args')).toBe('[\n  1,\n  "two"\n]');
    expect(await field('enqueuedAt')).toMatch(/^2026-01-15 12:59:00 CET\s+\(/);
    expect(await field('result')).toBe('none recorded');
    expect(await field('error.type')).toBe('ValueError');
    expect(await field('error.traceback')).toContain('ValueError: bad size');
    await browser.screenshot(page, 'bridge-task');

    await page.fill('#task-id', 'nope');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toContain('Task not found no task nope on any connection');
    expect(problems).toEqual([]);
  });

  it('follows the system dark mode', async () => {
    const { page } = await browser.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(server.url);
    await expect.poll(() => page.locator('[data-figure="waiting"]').first().textContent()).toBe('12k');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 22, 26)');
    await browser.screenshot(page, 'bridge-dashboard-dark');
  });
});
