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
    // Offline, yet its last data said busy: the page must not say busy.
    { name: 'w3', framework: 'rq', connection: 'prod', state: 'offline', busy: true, lastSeenAt: at - 60_000, currentTask: 'job-9', queues: ['default'], hostname: 'box', pid: 42 },
  ],
};
/** Unreachable now; its queue and worker are what the last good poll, 5 minutes earlier, read. */
const lastGood = at - 300_000;
const down: ConnectionView = {
  id: 'down', url: 'redis://10.9.9.9:6379', status: 'unreachable',
  statusReason: { code: 'TARGET_UNREACHABLE', detail: '10.9.9.9:6379 refused the connection', connection: 'down' },
  frameworks: ['rq'], takenAt: lastGood, lastGoodPollAt: lastGood, pollDurationMs: 2, commandsPerPoll: 0, roundTripsPerPoll: 0,
  queues: [queue('emails', { connection: 'down', waiting: 40, takenAt: lastGood })],
  workers: [{ name: 'mailer', framework: 'rq', connection: 'down', state: 'online', busy: false, lastSeenAt: lastGood - 2_000, currentTask: null, queues: ['emails'], hostname: 'mx', pid: 7 }],
};
/** Refused the password on every poll: never read. */
const locked: ConnectionView = {
  id: 'locked', url: 'redis://:***@10.9.9.8:6379/0', status: 'unauthorized',
  statusReason: { code: 'AUTH_FAILED', detail: '10.9.9.8:6379 refused the username or password', connection: 'locked' },
  frameworks: [], queues: [], workers: [], takenAt: null, lastGoodPollAt: null, pollDurationMs: 1, commandsPerPoll: 1, roundTripsPerPoll: 1,
};
const dashboard: DashboardView = { connections: [prod, down, locked], generatedAt: at };
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
    listTasks: async (query) => ({ query, items: [], total: 0, offset: 0, notes: [], actions: [], readOnly: true, takenAt: data.dashboard.generatedAt }),
    // History as `serve --no-history` answers it.
    getHistory: async ({ fromAt, toAt }) => ({ fromAt, toAt, resolution: 'raw' as const, bucketMs: null, series: [] }),
    getHistoryInfo: async () => ({ enabled: false, path: null, sizeBytes: 0, retention: { rawMs: 86_400_000, minuteMs: 2_592_000_000, hourMs: 31_536_000_000, failedTaskMs: 2_592_000_000, taskMs: 86_400_000 }, pollIntervalMs: 5000, oldestAt: { raw: null, '1m': null, '1h': null } }),
    runTaskAction: async () => {
      throw { code: 'PERMISSION_DENIED', detail: 'read-only is on' };
    },
    getSettings: async () => ({ editable: false, source: 'test', connections: [], pollInterval: '5s', readOnly: true, retention: null, notifications: null, rules: null, keychain: null, warnings: [] }),
    saveSettings: async () => {
      throw { code: 'PERMISSION_DENIED', detail: 'not editable here' };
    },
    testConnection: async () => {
      throw { code: 'PERMISSION_DENIED', detail: 'not here' };
    },
    getAlerts: async () => ({ alerts: [], snoozes: [], maintenance: [], evaluatedAt: null }),
    acknowledgeAlert: async ({ key }) => {
      throw { code: 'BAD_USAGE', detail: `no pending or firing alert with key ${key}` };
    },
    snoozeAlert: async () => {
      throw { code: 'BAD_USAGE', detail: 'no alerts here' };
    },
    onDidChangeAlerts: () => () => {},
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
    const api: Api = { getDashboard: refuse('getDashboard'), getQueues: refuse('getQueues'), getTask: refuse('getTask'), listTasks: refuse('listTasks'), runTaskAction: refuse('runTaskAction'), getSettings: refuse('getSettings'), saveSettings: refuse('saveSettings'), testConnection: refuse('testConnection'), getHistory: refuse('getHistory'), getHistoryInfo: refuse('getHistoryInfo'), getAlerts: refuse('getAlerts'), acknowledgeAlert: refuse('acknowledgeAlert'), snoozeAlert: refuse('snoozeAlert'), onDidChangeDashboard: () => () => {}, onDidChangeAlerts: () => () => {} };
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
    // One mark for "cannot tell" on every face: `?`, as the CLI and the README say.
    expect(shown).toEqual({
      waiting: '12k', scheduled: '3', reserved: '?', running: '?', failed: '7', dead: '?', retrying: '0',
      oldestWaitingAgeMs: '3 min 20 s', throughputPerMin: '1.5/min', 'waitLatencyMs.p50': '850 ms', 'waitLatencyMs.p95': '4.2 s',
      'runLatencyMs.p50': '1 min 5 s', 'runLatencyMs.p95': '2 h 5 min', successRatio: '97.5 %', drainEtaMs: '?',
      'workers.online': '1', 'workers.busy': '0', 'workers.offline': '0',
    });
    expect(await figure('reserved').locator('.unknown').getAttribute('title')).toBe('RQ 1.13 has no reserved notion');
    expect(await figure('reserved').getByRole('img', { name: 'unknown: RQ 1.13 has no reserved notion', exact: true }).count()).toBe(1);
    expect(await figure('running').getByRole('img', { name: 'unknown', exact: true }).count()).toBe(1);
    expect(await figure('running').locator('.unknown').getAttribute('title')).toBe('task-status cannot tell this here');
    expect(await panel.locator('.notes summary').textContent()).toBe('Why 2 figures show ? or are approximate');
    expect(await panel.locator('.notes').textContent()).toContain('Reserved: RQ 1.13 has no reserved notion');
    expect(await page.locator('main').textContent()).not.toContain('—');
    expect(await page.locator('footer.legend').textContent()).toBe('? = task-status cannot tell (hover it, or open a panel’s notes, for why) · times are local (CET)');

    // An empty queue: the web says "nothing waits" for both its oldest age and its drain ETA.
    const empty = page.locator('article.queue-panel[data-queue="<img src=x onerror=alert(1)>"]');
    expect(await empty.locator('[data-figure="oldestWaitingAgeMs"]').textContent()).toBe('nothing waits');
    expect(await empty.locator('[data-figure="drainEtaMs"]').textContent()).toBe('nothing waits');

    const prodSection = page.locator('section[data-connection="prod"]');
    expect((await prodSection.locator('header .mark').textContent())?.trim()).toBe('▲ degraded');
    expect(await prodSection.locator('[role="alert"]').textContent()).toContain('Permission denied the user may not run CLIENT LIST');

    const w1 = prodSection.locator('tr[data-worker="w1"]');
    expect((await w1.locator('[data-field="state"]').textContent())?.trim()).toBe('● online');
    expect((await w1.locator('[data-field="busy"]').textContent())?.trim()).toBe('▶ busy');
    expect(await w1.locator('[data-field="lastSeenAt"] time').textContent()).toBe('2026-01-15 12:59:56 CET');

    // A hostile queue name is text, never markup.
    expect(await page.locator('article.queue-panel h3 a', { hasText: '<img src=x onerror=alert(1)>' }).count()).toBe(1);
    expect(await page.locator('main img').count()).toBe(0);
    await browser.screenshot(page, 'bridge-dashboard-light');
    expect(problems).toEqual([]);
    expect(httpCalls).toEqual([]);
  });

  it('never shows an offline worker as busy, and says since when it is offline', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(server.url);
    const row = (name: string) => page.locator(`section[data-connection="prod"] tr[data-worker="${name}"]`);
    const cell = async (name: string, field: string) => (await row(name).locator(`[data-field="${field}"]`).textContent())?.replace(/\s+/g, ' ').trim();
    await row('w3').waitFor();
    // Its last data said busy with job-9: offline, that cannot be known any more.
    expect(await cell('w3', 'busy')).toBe('? unknown');
    expect(await cell('w3', 'state')).toMatch(/^○ offline since last seen 2026-01-15 12:59:00 CET \(\d+ d ago\)$/);
    expect(await cell('w3', 'currentTask')).toBe('last known: job-9');
    expect(await cell('w2', 'busy')).toBe('? unknown');
    expect(await cell('w2', 'state')).toBe('○ offline (never heard)');
    expect(await cell('w2', 'lastSeenAt')).toBe('?');
    expect(await cell('w2', 'currentTask')).toBe('?');
    expect(problems).toEqual([]);
  });

  it('says why a connection could not be read and since when, and marks what it last knew', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(server.url);
    const down = page.locator('section[data-connection="down"]');
    await down.waitFor();
    const text = async (locator: ReturnType<typeof page.locator>) => (await locator.textContent())?.replace(/\s+/g, ' ').trim();
    expect(await text(down.locator('[data-field="status"]'))).toBe('✕ unreachable');
    const failure = down.locator('[data-field="failure"]');
    expect(await failure.getAttribute('role')).toBe('alert');
    expect(await text(failure.locator('strong'))).toBe('✕ This connection could not be read');
    expect(await text(failure.locator('[data-field="reason"]'))).toBe('Why: Cannot reach the broker: 10.9.9.9:6379 refused the connection');
    expect(await text(failure.locator('[data-field="since"]'))).toMatch(/^Last good poll: 2026-01-15 12:55:00 CET \(\d+ d ago\)$/);
    // Its queues and workers are from that poll, and say so.
    expect(await text(down.locator('[data-field="lastKnown"]'))).toMatch(/^Last known at 2026-01-15 12:55:00 CET \(\d+ d ago\), not current:$/);
    const emails = down.locator('article.queue-panel[data-queue="emails"]');
    expect(await emails.getAttribute('data-last-known')).toBe('true');
    expect(await text(emails.locator('header .mark'))).toBe('◷ last known');
    expect(await emails.locator('[data-figure="waiting"]').textContent()).toBe('40');
    expect(await text(emails.locator('footer'))).toMatch(/^last known, read 2026-01-15 12:55:00 CET \(\d+ d ago\)$/);
    expect(await down.locator('table caption').allTextContents()).toEqual(['Workers, last known at 2026-01-15 12:55:00 CET (1)']);
    expect(await text(down)).not.toContain('No queues found');
    // A connection read fine is not marked.
    expect(await page.locator('section[data-connection="prod"] [data-last-known="true"]').count()).toBe(0);

    const locked = page.locator('section[data-connection="locked"]');
    expect(await text(locked.locator('[data-field="status"]'))).toBe('⊘ unauthorized');
    expect(await text(locked.locator('[data-field="reason"]'))).toBe('Why: Credentials refused: 10.9.9.8:6379 refused the username or password');
    expect(await text(locked.locator('[data-field="since"]'))).toBe('Last good poll: never');
    expect(await locked.locator('article.queue-panel').count()).toBe(0);
    expect(await locked.locator('table').count()).toBe(0);
    expect(await text(locked)).not.toContain('No queues found');
    expect(await text(locked)).not.toContain('no workers seen');

    // The queue view of a queue on the unreachable connection says the same.
    await emails.locator('h3 a').click();
    await expect.poll(() => page.locator('main h2').textContent()).toBe('emails · rq on down');
    expect(await text(page.locator('main [data-field="failure"] [data-field="reason"]'))).toBe('Why: Cannot reach the broker: 10.9.9.9:6379 refused the connection');
    expect(await page.locator('main article.queue-panel[data-last-known="true"]').count()).toBe(1);
    expect(await page.locator('table caption').allTextContents()).toEqual(['Workers consuming emails, last known at 2026-01-15 12:55:00 CET (1)']);
    await browser.screenshot(page, 'bridge-queue-unreadable');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await browser.screenshot(page, 'bridge-queue-unreadable-phone');
    expect(problems).toEqual([]);
  });

  it('fits a phone: nothing wider than 390 px', async () => {
    const { page, problems } = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server.url);
    await page.locator('section[data-connection="locked"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBe(390);
    // The workers tables stack one block per worker: nothing scrolls sideways, no caption is cut.
    const tableWraps = page.locator('.table-wrap');
    expect(await tableWraps.count()).toBe(2);
    expect(await tableWraps.evaluateAll((wraps) => wraps.map((wrap) => wrap.scrollWidth - wrap.clientWidth))).toEqual([0, 0]);
    await browser.screenshot(page, 'bridge-dashboard-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await browser.screenshot(page, 'bridge-dashboard-desktop');
    expect(problems).toEqual([]);
  });

  it('follows the bridge events live', async () => {
    const { page } = await browser.newPage();
    await page.goto(server.url);
    const waiting = page.locator('article.queue-panel[data-queue="default"] [data-figure="waiting"]');
    await expect.poll(() => waiting.textContent()).toBe('12k');
    const next: DashboardView = { ...dashboard, generatedAt: at + 5_000, connections: [{ ...prod, queues: [{ ...prod.queues[0]!, waiting: 7 }] }, down, locked] };
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
    expect(await page.locator('table caption').allTextContents()).toEqual(['Workers consuming default (2)', 'Workers of rq whose queues are unknown (1)']);

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
