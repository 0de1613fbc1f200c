import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/contract/api.js';
import type { DashboardView } from '../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../src-main/contract/figures.js';
import { startWebServer, type WebServer } from '../../src-main/shells/web/webServer.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { buildRendererInto } from './support/rendererBuild.js';

/**
 * The renderer's HTTP transport in Chromium, behind a token: page load with ?token=, session
 * cookie, Api calls, the event stream, reconnection after the server restarts, all under the
 * strict CSP. The Api is an in-process object made for this transport test; the real product
 * is in webDashboard.test.ts.
 */
const token = 'e2e-token-5f2a';
const figures = (waiting: number, takenAt: number): QueueFigures => ({
  connection: 'local', framework: 'rq', queue: 'default', namespace: 'db0', waiting, scheduled: 0, reserved: null, running: 0,
  failed: 0, dead: null, retrying: 0, oldestWaitingAgeMs: 0, throughputPerMin: null, waitLatencyMs: null, runLatencyMs: null,
  successRatio: null, drainEtaMs: 0, workers: { online: 0, busy: 0, offline: 0 }, takenAt, notes: {},
});
const viewWith = (waiting: number, generatedAt: number): DashboardView => ({
  generatedAt,
  connections: [{
    id: 'local', url: 'redis://127.0.0.1:6379/0', status: 'ok', statusReason: null, frameworks: ['rq'], queues: [figures(waiting, generatedAt)],
    workers: [], takenAt: generatedAt, lastGoodPollAt: generatedAt, pollDurationMs: 1, commandsPerPoll: 5, roundTripsPerPoll: 1,
  }],
});

function createTestApi() {
  let current = viewWith(4, Date.now());
  const listeners = new Set<(view: DashboardView) => void>();
  const api: Api = {
    getDashboard: async () => current,
    getQueues: async () => ({ queues: current.connections[0]!.queues }),
    getTask: async ({ id }) => {
      throw { code: 'TASK_NOT_FOUND', detail: `no task ${id} on any connection` };
    },
    listTasks: async (query) => ({ query, items: [], total: 0, offset: 0, notes: [], actions: [], readOnly: true, takenAt: current.generatedAt }),
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
  return {
    api,
    listenerCount: () => listeners.size,
    publish(view: DashboardView) {
      current = view;
      listeners.forEach((listener) => listener(view));
    },
    /** Changes the state without an event, as polls missed during a disconnection would. */
    setSilently(view: DashboardView) {
      current = view;
    },
  };
}

describe('renderer over HTTP and server-sent events, with a token', () => {
  let renderer: ReturnType<typeof buildRendererInto>;
  let browser: TestBrowser;
  let server: WebServer;
  const testApi = createTestApi();

  beforeAll(async () => {
    renderer = buildRendererInto();
    server = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, token, rendererDir: renderer.dir, heartbeatMs: 1_000 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    renderer?.remove();
  });

  it('refuses a page load without the token', async () => {
    const { page } = await browser.newPage();
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(401);
    await page.close();
  });

  it('signs in with ?token=, drops it from the address, then calls the Api and follows events', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${server.url}?token=${token}#/`);
    expect(page.url()).toBe(`${server.url}#/`);
    const cookies = await browser.context.cookies(server.url);
    expect(cookies.map((c) => [c.name.replace(/\d+$/, 'N'), c.httpOnly, c.sameSite])).toEqual([['task-status-session-N', true, 'Strict']]);
    expect(cookies[0]!.value).not.toContain(token);

    const waiting = page.locator('[data-figure="waiting"]');
    await expect.poll(() => waiting.textContent()).toBe('4');
    await expect.poll(() => page.locator('[data-link]').textContent()).toMatch(/● live/);
    await expect.poll(() => testApi.listenerCount()).toBe(1);
    testApi.publish(viewWith(1_500, Date.now()));
    await expect.poll(() => waiting.textContent()).toBe('1.5k');

    await page.goto(`${server.url}#/task/abc`);
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toMatch(/Task not found/);
    // The 404 of the lookup is logged by Chromium; nothing else (a CSP violation would be) may be.
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await page.close();
  });

  it('catches up after the event stream was cut', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${server.url}?token=${token}`);
    const waiting = page.locator('[data-figure="waiting"]');
    await expect.poll(() => testApi.listenerCount()).toBe(1);
    const port = server.port;
    await server.close();
    await expect.poll(() => page.locator('[data-link]').textContent()).toMatch(/reconnecting/);
    testApi.setSilently(viewWith(9, Date.now()));
    // Same port and token, new process (a restart): the session cookie still opens the stream,
    // and the page reads what it missed.
    server = await startWebServer({ api: testApi.api, host: '127.0.0.1', port, token, rendererDir: renderer.dir, heartbeatMs: 1_000 });
    await expect.poll(() => waiting.textContent(), { timeout: 15_000 }).toBe('9');
    await expect.poll(() => page.locator('[data-link]').textContent()).toMatch(/● live/);
    await page.close();
  });
});
