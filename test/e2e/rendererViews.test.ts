import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src-main/contract/alerts.js';
import type { ConnectionView, DashboardView } from '../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../src-main/contract/figures.js';
import type { TaskDetail } from '../../src-main/contract/task.js';
import { startWebServer, type WebServer } from '../../src-main/shells/web/webServer.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { buildRendererInto } from './support/rendererBuild.js';
import { shootAtWidths } from './support/viewShots.js';

/**
 * The views with states real workers cannot produce on demand, through the tray app's bridge
 * (injected before the page runs): an hour of history with a gap where the monitor stopped, a
 * backlog draining at a steady pace, alerts firing, pending and resolved, acknowledge and
 * snooze, a task still waiting. Screenshots of each view, light and dark, phone and desktop,
 * go to test-results/screenshots/ (prefixed `bridge-`). The real product is in webViews.test.ts.
 */
const queue = (name: string, figures: Partial<QueueFigures>): QueueFigures => ({
  connection: 'prod', framework: 'celery', queue: name, namespace: 'db0', waiting: 0, scheduled: 0, reserved: 0, running: 1,
  failed: 0, dead: null, retrying: null, oldestWaitingAgeMs: 0, throughputPerMin: 30, waitLatencyMs: { p50: 1_200, p95: 9_000 },
  runLatencyMs: { p50: 300, p95: 2_500 }, successRatio: 0.98, drainEtaMs: 0, workers: { online: 2, busy: 1, offline: 0 }, takenAt: 0, notes: {}, ...figures,
});

interface Fixture {
  dashboard: DashboardView;
  alerts: Alert[];
  task: TaskDetail;
}

/** Runs in the page: the bridge with history made up relative to each request's own range. */
function installBridge(fixture: Fixture): void {
  const now = Date.now();
  const stamp = (view: DashboardView): DashboardView => ({
    generatedAt: now,
    connections: view.connections.map((c) => ({ ...c, takenAt: c.takenAt === null ? null : now, lastGoodPollAt: c.lastGoodPollAt === null ? null : now, queues: c.queues.map((q) => ({ ...q, takenAt: now })),
      workers: c.workers.map((w) => ({ ...w, lastSeenAt: now - 3_000 })) })),
  });
  const dashboard = stamp(fixture.dashboard);
  let alerts = fixture.alerts.map((a) => ({ ...a, firedAt: a.firedAt === null ? null : now - 600_000, resolvedAt: a.resolvedAt === null ? null : now - 120_000, activeAt: now - 700_000, evaluatedAt: now }));
  const snoozes: Array<{ id: string; match: { key: string }; createdAt: number; until: number }> = [];
  const alertListeners = new Set<(view: unknown) => void>();
  const alertsView = () => ({ alerts, snoozes, maintenance: [], evaluatedAt: now });
  const minute = 60_000;
  /** Waiting: a climb, a stretch nothing was recorded (the monitor stopped), then draining 40/min to now. */
  const waitingAt = (at: number): number | null => {
    const ago = (now - at) / minute;
    if (ago > 25 && ago < 35) return null;
    if (ago <= 15) return Math.round(120 + 40 * ago);
    return Math.round(300 + 200 * Math.sin(ago / 7));
  };
  const figureAt = (figure: string, at: number): number | null => {
    const waiting = waitingAt(at);
    if (waiting === null) return null;
    const wave = Math.sin((now - at) / minute / 5);
    switch (figure) {
      case 'waiting': return waiting;
      case 'throughputPerMin': return 30 + 10 * wave;
      case 'waitLatencyP50Ms': return 1_000 + 400 * wave;
      case 'waitLatencyP95Ms': return 8_000 + 2_000 * wave;
      case 'runLatencyP50Ms': return 300 + 50 * wave;
      case 'runLatencyP95Ms': return 2_400 + 500 * wave;
      case 'successRatio': return 0.97 + 0.02 * wave;
      default: return null;
    }
  };
  const bridge = {
    getDashboard: async () => dashboard,
    getQueues: async ({ name }: { name: string }) => ({ queues: dashboard.connections.flatMap((c) => c.queues).filter((q) => q.queue === name) }),
    getTask: async ({ id }: { id: string }) => {
      if (id === fixture.task.id) return { task: { ...fixture.task, enqueuedAt: now - 95_000 } };
      throw { code: 'TASK_NOT_FOUND', detail: `no task ${id} on any connection` };
    },
    listTasks: async () => {
      throw { code: 'BAD_USAGE', detail: 'not in this test' };
    },
    runTaskAction: async () => {
      throw { code: 'PERMISSION_DENIED', detail: 'read-only' };
    },
    getHistoryInfo: async () => ({
      enabled: true, path: null, sizeBytes: 1, pollIntervalMs: minute, oldestAt: { raw: now - 3_600_000, '1m': null, '1h': null },
      retention: { rawMs: 86_400_000, minuteMs: 2_592_000_000, hourMs: 31_536_000_000, failedTaskMs: 2_592_000_000, taskMs: 86_400_000 },
    }),
    getHistory: async (query: { connection: string; framework?: string; namespace?: string; queue?: string; figures: string[]; fromAt: number; toAt: number }) => {
      const start = Math.max(query.fromAt, now - 3_600_000);
      const series = query.figures.map((figure) => {
        const points: Array<{ at: number; value: number | null }> = [];
        for (let at = Math.ceil(start / minute) * minute; at <= query.toAt; at += minute) points.push({ at, value: query.queue === 'default' ? figureAt(figure, at) : 0 });
        return { connection: query.connection, framework: query.framework ?? 'celery', namespace: 'db0', queue: query.queue ?? null, figure, aggregate: 'max', points };
      });
      return { fromAt: query.fromAt, toAt: query.toAt, resolution: '1m', bucketMs: minute, series };
    },
    getAlerts: async () => alertsView(),
    acknowledgeAlert: async ({ key }: { key: string }) => {
      alerts = alerts.map((a) => (a.key === key ? { ...a, acknowledgedAt: Date.now() } : a));
      alertListeners.forEach((l) => l(alertsView()));
      return alerts.find((a) => a.key === key);
    },
    snoozeAlert: async ({ key, forMs }: { key: string; forMs: number }) => {
      const snooze = { id: `s${snoozes.length + 1}`, match: { key }, createdAt: Date.now(), until: Date.now() + forMs };
      snoozes.push(snooze);
      alertListeners.forEach((l) => l(alertsView()));
      return snooze;
    },
    onDidChangeAlerts: (listener: (view: unknown) => void) => (alertListeners.add(listener), () => alertListeners.delete(listener)),
    onDidChangeDashboard: () => () => {},
  };
  (window as unknown as { taskStatus: unknown }).taskStatus = bridge;
}

const prod: ConnectionView = {
  id: 'prod', url: 'redis://cache.internal:6379/0', status: 'ok', statusReason: null, frameworks: ['celery'], takenAt: 0, lastGoodPollAt: 0,
  pollDurationMs: 4, commandsPerPoll: 14, roundTripsPerPoll: 1,
  broker: {
    kind: 'redis', takenAt: 0, nodes: 1, version: '7.0.15', uptimeSeconds: 90_061, usedMemoryBytes: 19_398_656, maxMemoryBytes: 20_971_520,
    maxMemoryPolicy: 'allkeys-lru', memFragmentationRatio: 1.31, cpuPercent: null, connectedClients: 12, opsPerSec: 1_840,
    evictedKeys: 1_520, evictedKeysDelta: 3, notes: { cpuPercent: 'known from the second poll on' },
  },
  queues: [
    queue('default', { waiting: 120, oldestWaitingAgeMs: 95_000, drainEtaMs: 180_000 }),
    queue('emails', { waiting: 0, throughputPerMin: 4 }),
  ],
  workers: [
    { name: 'celery@web-1', framework: 'celery', connection: 'prod', state: 'online', busy: true, lastSeenAt: 0, currentTask: 'c0ffee', queues: ['default', 'emails'], hostname: 'web-1', pid: 311 },
  ],
};
/** A broker that never answered: its first poll is still under way. */
const slow: ConnectionView = {
  id: 'slow', url: 'redis://10.0.0.9:6379/0', status: 'ok', statusReason: null, frameworks: [], queues: [], workers: [],
  takenAt: null, lastGoodPollAt: null, pollDurationMs: null, commandsPerPoll: null, roundTripsPerPoll: null,
};
const alert = (key: string, fields: Partial<Alert>): Alert => ({
  key, ruleId: key, level: 'warning', state: 'firing', labels: { connection: 'prod', framework: 'celery', namespace: 'db0', queue: 'default' },
  value: 120, threshold: 100, summary: key, activeAt: 0, firedAt: 0, resolvedAt: null, lastNotifiedAt: null, acknowledgedAt: null,
  keepFiringSince: null, evaluatedAt: 0, ...fields,
});
const alerts: Alert[] = [
  alert('down', { level: 'emergency', labels: { connection: 'slow' }, value: 'unreachable', threshold: 'ok', summary: 'Broker unreachable: slow (10.0.0.9:6379 refused the connection)' }),
  alert('backlog', { level: 'warning', summary: 'Backlog over 100: prod celery default waiting 120 > 100' }),
  alert('failures', { level: 'critical', summary: 'Failure rate over 5%: prod celery default 7% > 5%', value: 0.07, threshold: 0.05 }),
  alert('old', { level: 'warning', state: 'pending', firedAt: null, summary: 'Oldest waiting over 5 min: prod celery default 95 s' }),
  alert('mail', { level: 'error', state: 'resolved', resolvedAt: 1, labels: { connection: 'prod', framework: 'celery', queue: 'emails' }, summary: 'Task over its timeout: prod celery emails send_mail' }),
];
const task: TaskDetail = {
  id: 'c0ffee', framework: 'celery', connection: 'prod', queue: 'default', name: 'app.tasks.resize', description: null, state: 'waiting',
  args: ['<script>alert(1)</script>'], kwargs: { size: 3 }, enqueuedAt: 0, startedAt: null, finishedAt: null, worker: null, retries: 0,
  result: null, error: null, sources: ['queue message'],
  // As BullMQ keeps them: the options it was sent with, attempts, progress and log lines.
  options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } }, attempts: { made: 1, started: 2, max: 5 },
  progress: 40, logs: ['resizing 1 of 3', 'resizing 2 of 3'], logCount: 12,
};

describe('views fed by the bridge: history with a gap, a draining backlog, alerts', () => {
  let renderer: ReturnType<typeof buildRendererInto>;
  let server: WebServer;
  const browsers: Partial<Record<'light' | 'dark', TestBrowser>> = {};

  beforeAll(async () => {
    renderer = buildRendererInto();
    const refuse = async () => {
      throw { code: 'INTERNAL', detail: 'the HTTP transport must not be used when the bridge is present' };
    };
    // Serves the files only; every call goes through the bridge.
    const api = new Proxy({}, { get: (_, name) => (String(name).startsWith('on') ? () => () => {} : refuse) });
    server = await startWebServer({ api: api as never, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    for (const scheme of ['light', 'dark'] as const) {
      const browser = await launchBrowser({ colorScheme: scheme, timezoneId: 'Europe/Berlin' });
      await browser.context.addInitScript(installBridge, { dashboard: { connections: [prod, slow], generatedAt: 0 }, alerts, task });
      browsers[scheme] = browser;
    }
  });
  afterAll(async () => {
    for (const browser of Object.values(browsers)) await browser?.close();
    await server?.close();
    renderer?.remove();
  });

  it('overview: firing alerts worst first, queue health by word and shape, sparklines with their gap, progress for a slow connection', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(server.url);
    const firing = page.locator('[data-section="firing"] li[data-alert]');
    await expect.poll(() => firing.evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.alert))).toEqual(['down', 'failures', 'backlog']);
    const status = (name: string) => page.locator(`article.queue-panel[data-queue="${name}"] [data-field="queueStatus"]`).textContent();
    expect((await status('default'))?.trim()).toBe('✖ critical');
    expect((await status('emails'))?.trim()).toBe('✓ ok');
    await expect.poll(() => page.locator('tr[data-glance="default"] [data-sparkline="drawn"]').count()).toBe(1);
    // The hour drawn as two runs: the stretch nothing was recorded is not bridged.
    const path = await page.locator('tr[data-glance="default"] svg path').getAttribute('d');
    // The table at a glance: worst first, health by word and shape, the figures as the panels show them.
    const glance = page.locator('[data-section="glance"] tbody tr');
    expect(await glance.evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.glance, r.querySelector('[data-field="health"]')!.textContent!.trim()])))
      .toEqual([['default', '✖ critical'], ['emails', '✓ ok']]);
    expect(await page.locator('tr[data-glance="default"] [data-glance-figure="waiting"]').textContent()).toBe('120');
    expect(await page.locator('[data-section="glance"] [data-field="trendSpan"]').textContent()).toBe('Waiting, last 1 h');
    expect(await page.locator('tr[data-glance="default"] [data-glance-figure="oldestWaitingAgeMs"]').textContent()).toBe('1 min 35 s');
    expect(path?.match(/M/g)?.length).toBe(2);
    expect((await page.locator('[data-field="firingCount"]').textContent())?.trim()).toBe('‼ 3 firing');
    // Every connection at the top, by word and shape: one still on its first poll says so.
    expect(await page.locator('[data-connection-summary]').evaluateAll((items) => items.map((i) => i.textContent!.replace(/\s+/g, ' ').trim())))
      .toEqual(['prod ✓ ok 2 queues · 1 worker', 'slow ◌ connecting 0 queues · 0 workers']);
    // The broker: memory against its limit, and keys evicted since the last poll marked.
    const broker = page.locator('section[data-connection="prod"] [data-broker="redis"]');
    const text = async (field: string) => (await broker.locator(`[data-field="${field}"]`).textContent())?.replace(/\s+/g, ' ').trim();
    expect(await text('memory')).toBe('18.5 MB of 20.0 MB (allkeys-lru)');
    expect(await text('evictedKeys')).toBe('1.5k ▲ +3 since the last poll');
    expect(await broker.locator('[data-field="evictedKeys"]').getAttribute('class')).toMatch(/\bwarn\b/);
    expect(await text('cpuPercent')).toBe('?');
    expect(await text('uptime')).toBe('1 d 1 h');
    const first = page.locator('section[data-connection="slow"] [data-field="firstPoll"]');
    expect((await first.textContent())?.trim()).toBe('Reading this connection for the first time…');
    expect((await page.locator('section[data-connection="slow"] [data-field="status"]').textContent())?.trim()).toBe('◌ connecting');
    expect(await first.locator('progress').count()).toBe(1);
    expect(await page.locator('section[data-connection="slow"] table').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('queue: five trend charts, the forecast of the draining backlog, the queue\'s alerts', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(`${server.url}#/queue/prod/celery/default`);
    await expect.poll(() => page.locator('figure[data-chart] canvas').count()).toBe(5);
    // 40/min down from 120: empty 3 min from now, as the least-squares line of the last 15 min says.
    const forecast = page.locator('[data-field="forecast"]');
    expect(await forecast.getAttribute('data-kind')).toBe('draining');
    expect((await forecast.textContent())?.replace(/\s+/g, ' ').trim()).toMatch(/^-40\/min: empty at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CET \(in (2|3) min\) if the trend holds$/);
    expect((await page.locator('[data-field="drainEtaMs"]').textContent())?.replace(/\s+/g, ' ').trim()).toMatch(/^empty in 3 min \(at .* CET \(in (2|3) min\)\)$/);
    expect(await page.locator('[data-section="queueAlerts"] li[data-alert]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.alert)))
      .toEqual(['failures', 'backlog', 'old']);
    for (const range of ['15m', '24h', '7d', '1h']) {
      await page.locator(`button[data-range="${range}"]`).click();
      await expect.poll(() => page.locator('figure[data-chart] canvas').count()).toBe(5);
    }
    expect(problems).toEqual([]);
  });

  it('alerts: acknowledge and snooze a firing alert', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(`${server.url}#/alerts`);
    const backlog = page.locator('[data-section="firing"] li[data-alert="backlog"]');
    await backlog.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => backlog.locator('[data-field="acknowledged"]').count()).toBe(1);
    expect(await backlog.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await backlog.locator('select').selectOption({ label: '4 h' });
    await backlog.getByRole('button', { name: 'Snooze' }).click();
    await expect.poll(() => page.locator('[data-snooze="s1"]').textContent()).toMatch(/^Snoozed: key backlog, until .* CET \(in (3|4) h\)$/);
    expect(await backlog.locator('[data-field="snoozed"]').textContent()).toMatch(/^notifications snoozed until .* CET \(in (3|4) h\)$/);
    expect(await page.locator('[data-section="history"] li[data-alert]').count()).toBe(1);
    expect(await page.locator('[data-section="pending"] li[data-alert]').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('task: a waiting task, its arguments shown as text', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(`${server.url}#/task/c0ffee`);
    const card = page.locator('article.task[data-task="c0ffee"]');
    await card.waitFor();
    expect(await card.locator('[data-field="args"]').textContent()).toBe('[\n  "<script>alert(1)</script>"\n]');
    expect(await card.locator('[data-step="startedAt"]').getAttribute('data-kind')).toBe('pending');
    expect(await card.locator('[data-leg="waiting for"]').textContent()).toMatch(/^waiting for 1 min 3\d s$/);
    expect((await card.locator('[data-field="startedAt"]').textContent())?.trim()).toBe('not yet');
    const text = async (field: string) => (await card.locator(`[data-field="${field}"]`).textContent())?.replace(/\s+/g, ' ').trim();
    expect(await text('attempts')).toBe('1 made · 2 started · 5 allowed');
    expect(await text('progress')).toBe('40');
    expect(await text('logs')).toBe('the latest 2 of 12 lines resizing 1 of 3 resizing 2 of 3');
    expect(await text('options')).toBe('{ "attempts": 5, "backoff": { "type": "exponential", "delay": 1000 } }');
    expect(problems).toEqual([]);
  });

  it('saves every view, light and dark, phone and desktop, none wider than the phone', async () => {
    const views: Array<[string, string, string]> = [
      ['bridge-overview', '#/', '[data-sparkline="drawn"]'],
      ['bridge-queue', '#/queue/prod/celery/default', 'figure[data-chart] canvas'],
      ['bridge-alerts', '#/alerts', '[data-section="firing"] li[data-alert]'],
      ['bridge-task', '#/task/c0ffee', 'article.task'],
    ];
    const overflow: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems } = await browsers[scheme]!.newPage();
      for (const [name, hash, ready] of views) {
        await page.goto(`${server.url}${hash}`);
        await page.locator(ready).first().waitFor();
        const widths = await shootAtWidths(page, name, scheme);
        if (widths.phone! > 390) overflow.push(`${name} ${scheme}: ${widths.phone} px`);
      }
      expect(problems).toEqual([]);
      await page.close();
    }
    expect(overflow).toEqual([]);
  });
});
