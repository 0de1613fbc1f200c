import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult } from '../../src-main/contract/api.js';
import type { DashboardView, QueuesView, TaskView } from '../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../src-main/contract/figures.js';
import { figureRows } from '../../src-renderer/lib/format/figureTable.js';
import { formatData } from '../../src-renderer/lib/format/valueText.js';
import { startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../support/rqWorkers.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { assertBuilt, startServe, type ServeProcess } from './support/serveProcess.js';
import { shootAtWidths } from './support/viewShots.js';

/**
 * Every view of the web face, end to end: `task-status serve` (the built CLI) on a private
 * redis-server where a real RQ 1.13 worker ran one job, failed one and is busy with a third,
 * read by Debian's Chromium in light and dark, at 390 px and on a desktop. The numbers on the
 * page are compared with the CLI's `--json`, the path overview → queue → task is followed by
 * clicking links, and every view is saved as a screenshot under test-results/screenshots/.
 */
const root = resolve(import.meta.dirname, '../..');
/** The counts that do not move while nothing is enqueued (rates and ages move with time). */
const countKeys = ['waiting', 'scheduled', 'reserved', 'running', 'failed', 'dead', 'retrying', 'workers.online', 'workers.busy', 'workers.offline'];

function runCli<T>(args: string[]): T {
  const run = spawnSync(process.execPath, [resolve(root, 'bin/task-status.js'), ...args, '--json'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`task-status ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** The raw values of one queue panel's figures (`data-value`), `null` for `?`. */
async function panelValues(page: Page, selector: string): Promise<Record<string, number | null>> {
  return page.locator(selector).evaluate((panel) => {
    const values: Record<string, number | null> = {};
    for (const dd of panel.querySelectorAll<HTMLElement>('[data-figure]')) values[dd.dataset.figure!] = dd.dataset.value === 'null' ? null : Number(dd.dataset.value);
    return values;
  });
}

function countsOf(queue: QueueFigures): Record<string, number | null> {
  const values: Record<string, number | null> = {};
  for (const row of figureRows) if (countKeys.includes(row.key)) values[row.key] = row.read(queue);
  return values;
}

function pick(values: Record<string, number | null>): Record<string, number | null> {
  return Object.fromEntries(countKeys.map((key) => [key, values[key] ?? null]));
}

describe('every view of the web face, light and dark, phone and desktop', () => {
  let redis: PrivateRedis;
  let serve: ServeProcess;
  const browsers: Partial<Record<'light' | 'dark', TestBrowser>> = {};
  let home: string;
  const savedEnv = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME };
  let ids: { succeeded: string; failed: string; running: string; waiting: string[] };
  let connectionId: string;
  /** The backend has history calls and records history. */
  let hasHistory: boolean;
  /** How the page says there is none: `unavailable` (no calls) or `disabled` (not recorded). */
  let noHistory: 'unavailable' | 'disabled';
  let hasAlerts: boolean;

  async function call<T>(method: string, args: unknown): Promise<{ status: number; result: ApiResult<T> | null }> {
    const response = await fetch(new URL(`/api/${method}`, serve.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
    const text = await response.text();
    try {
      return { status: response.status, result: JSON.parse(text) as ApiResult<T> };
    } catch {
      return { status: response.status, result: null };
    }
  }

  beforeAll(async () => {
    assertBuilt();
    // serve keeps its history and config in the user's folders: here, a private one.
    home = mkdtempSync(join(tmpdir(), 'task-status-views-home-'));
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') });
    redis = await startRedis();
    const enqueued = rqTool<string[]>(redis, 0, 'enqueue', [
      { queue: 'default', func: 'add', args: [1, 2] },
      { queue: 'default', func: 'echo', args: ['<b>not bold</b>'], kwargs: { k: 1 } },
      { queue: 'work', func: 'add', args: [20, 22] },
      { queue: 'work', func: 'fail', args: ['boom'] },
      { queue: 'work', func: 'sleep_for', args: [150] },
    ]);
    ids = { waiting: enqueued.slice(0, 2), succeeded: enqueued[2]!, failed: enqueued[3]!, running: enqueued[4]! };
    await startRqWorker(redis, { db: 0, queues: ['work'], name: 'views-worker' });
    await waitFor(() => redis.cli(['ZCARD', 'rq:finished:work']) === '1' && redis.cli(['ZCARD', 'rq:failed:work']) === '1'
      && redis.cli(['HGET', 'rq:worker:views-worker', 'current_job']) === ids.running, 'the worker to run two jobs and start the third');
    // History in a private file, where this build of serve can keep one.
    const help = spawnSync(process.execPath, [resolve(root, 'bin/task-status.js'), 'serve', '--help'], { cwd: root, encoding: 'utf8' }).stdout;
    const historyArgs = help.includes('--history <file>') ? ['--history', join(home, 'history.db')] : [];
    serve = await startServe(['--redis', redis.url(0), '--port', '0', '--host', '127.0.0.1', '--interval', '1s', ...historyArgs]);
    for (const scheme of ['light', 'dark'] as const) browsers[scheme] = await launchBrowser({ colorScheme: scheme, timezoneId: 'Europe/Berlin' });
    const first = await call<DashboardView>('getDashboard', {});
    if (first.result?.ok !== true) throw new Error(`getDashboard: ${JSON.stringify(first)}`);
    connectionId = first.result.value.connections[0]!.id;
    // History and alerts arrive in the contract while this app grows: the page must say so
    // when the backend has none, and draw them when it has.
    const info = (await call<{ enabled: boolean }>('getHistoryInfo', {})).result;
    hasHistory = info?.ok === true && info.value.enabled;
    noHistory = info?.ok === true ? 'disabled' : 'unavailable';
    hasAlerts = (await call('getAlerts', {})).result?.ok === true;
  });

  afterAll(async () => {
    for (const browser of Object.values(browsers)) await browser?.close();
    const code = serve === undefined ? 'not started' : await serve.stop();
    await destroyAllRqWorkers();
    await redis?.stop();
    Object.assign(process.env, savedEnv);
    for (const [key, value] of Object.entries(savedEnv)) if (value === undefined) delete process.env[key];
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
    if (code !== 'not started') expect(code, 'exit code of task-status serve after SIGTERM').toBe(0);
  });

  it('overview: every queue with its figures as `dashboard --json` gives them, the firing alerts, sparklines or why there are none', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(serve.url);
    const section = page.locator(`section[data-connection="${connectionId}"]`);
    const panel = (name: string) => `section[data-connection="${connectionId}"] article.queue-panel[data-queue="${name}"]`;
    await page.locator(panel('work')).waitFor();
    await expect.poll(() => section.locator('[data-field="status"]').textContent()).toBe('✓ ok');

    const cli = runCli<DashboardView>(['dashboard', '--redis', redis.url(0), '--window', '0s']);
    const fromCli = (name: string) => countsOf(cli.connections[0]!.queues.find((q) => q.queue === name)!);
    await expect.poll(async () => pick(await panelValues(page, panel('default')))).toEqual(fromCli('default'));
    await expect.poll(async () => pick(await panelValues(page, panel('work')))).toEqual(fromCli('work'));
    // The broker's own health, as the CLI reads it.
    const broker = cli.connections[0]!.broker;
    expect(broker?.kind).toBe('redis');
    if (broker?.kind === 'redis') {
      expect(await section.locator('[data-broker="redis"] [data-field="version"]').textContent()).toBe(broker.version);
      expect(broker.maxMemoryBytes).toBe(0);
      expect((await section.locator('[data-broker="redis"] [data-field="memory"]').textContent())?.replace(/\s+/g, ' ').trim()).toMatch(/^\d+(\.\d)? [KM]B of no limit \(noeviction\)$/);
    }
    // The table at a glance shows the same counts.
    for (const name of ['default', 'work']) {
      const row = page.locator(`tr[data-glance="${name}"][data-connection="${connectionId}"]`);
      for (const key of ['waiting', 'running', 'failed'] as const) {
        expect(await row.locator(`[data-glance-figure="${key}"]`).getAttribute('data-value'), `${name} ${key}`).toBe(String(fromCli(name)[key]));
      }
    }
    // …and Redis itself.
    expect((await panelValues(page, panel('default'))).waiting).toBe(Number(redis.cli(['LLEN', 'rq:queue:default'])));
    expect([fromCli('default').waiting, fromCli('work').failed, fromCli('work').running]).toEqual([2, 1, 1]);

    const firing = page.locator('[data-section="firing"]');
    if (hasAlerts) {
      // The rules move on their own (a `for` duration ends): compare a page reading with the Api's.
      const firingKeys = async () => {
        const view = await call<{ alerts: Array<{ state: string; key: string }> }>('getAlerts', {});
        return view.result?.ok ? view.result.value.alerts.filter((a) => a.state === 'firing').map((a) => a.key).sort() : null;
      };
      await expect.poll(async () => {
        const before = await firingKeys();
        const shown = (await firing.locator('li[data-alert]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.alert!))).sort();
        return JSON.stringify(shown) === JSON.stringify(before) && JSON.stringify(before) === JSON.stringify(await firingKeys());
      }).toBe(true);
    } else {
      expect(await firing.textContent()).toContain('Alerts are not available from this backend yet.');
    }
    if (hasHistory) {
      await expect.poll(() => page.locator('tr[data-glance="work"] [data-sparkline]').count(), { timeout: 40_000 }).toBe(1);
      // The monitor started seconds ago: the sparklines reach back as far as the history does, and say so.
      expect(await page.locator('[data-section="glance"] [data-field="trendSpan"]').textContent()).toMatch(/^Waiting, last [1-5] min$/);
    } else {
      expect(await page.locator(`[data-history="${noHistory}"]`).textContent()).toMatch(/^Sparklines: History (is not available from this backend yet|is off here)/);
      expect(await page.locator('svg[role="img"]').count(), 'no sparkline is drawn without history').toBe(0);
    }
    // The broker's data is shown as text, never as markup.
    expect(await page.locator('main b').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('follows overview → queue → task by links; the queue shows `queue --json`, trends, drain and workers; the task shows `task --json`', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(serve.url);
    await page.locator(`article.queue-panel[data-queue="work"] h3 a`).click();
    expect(new URL(page.url()).hash).toBe(`#/queue/${encodeURIComponent(connectionId)}/rq/work`);
    await expect.poll(() => page.locator('main h2').textContent()).toBe(`work · rq on ${connectionId}`);

    const cli = runCli<QueuesView>(['queue', '--name', 'work', '--redis', redis.url(0), '--window', '0s']);
    expect(cli.queues).toHaveLength(1);
    await expect.poll(async () => pick(await panelValues(page, 'article.queue-panel[data-queue="work"]'))).toEqual(countsOf(cli.queues[0]!));
    expect(await page.locator('[data-field="drainEtaMs"]').getAttribute('data-value')).toBe('0');
    expect((await page.locator('[data-field="drainEtaMs"]').textContent())?.trim()).toBe('nothing waits');

    const trends = page.locator('[data-section="trends"]');
    if (hasHistory) {
      await expect.poll(() => trends.locator('figure[data-chart]').count(), { timeout: 20_000 }).toBe(5);
      expect(await trends.locator('figure[data-chart]').evaluateAll((figs) => figs.map((f) => (f as HTMLElement).dataset.chart)))
        .toEqual(['waiting', 'throughput', 'waitLatency', 'runLatency', 'failureRatio']);
      // This monitor started seconds ago: the charts open on 15 minutes, not on a sliver of an hour.
      expect(await page.locator('button[data-range="15m"]').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => trends.locator('figure[data-chart="waiting"] canvas').count(), { timeout: 20_000 }).toBe(1);
      await page.locator('button[data-range="24h"]').click();
      expect(await page.locator('button[data-range="24h"]').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => trends.locator('figure[data-chart="waiting"] canvas').count(), { timeout: 20_000 }).toBe(1);
    } else {
      expect(await trends.locator(`[data-history="${noHistory}"]`).textContent()).toMatch(/^History (is not available from this backend yet|is off here)/);
      expect(await trends.locator('canvas').count()).toBe(0);
    }

    // The worker is busy with the sleeping job: its current task is a link to the task.
    const row = page.locator('tr[data-worker="views-worker"]');
    expect((await row.locator('[data-field="busy"]').textContent())?.trim()).toBe('▶ busy');
    await row.locator('[data-field="currentTask"] a').click();
    expect(new URL(page.url()).hash).toBe(`#/task/${ids.running}`);
    const card = page.locator(`article.task[data-task="${ids.running}"]`);
    await card.waitFor();
    const { task } = runCli<TaskView>(['task', '--id', ids.running, '--redis', redis.url(0)]);
    const field = async (name: string) => (await card.locator(`[data-field="${name}"]`).first().textContent())?.trim();
    expect([task.state, task.worker]).toEqual(['running', 'views-worker']);
    expect(await field('state')).toBe('▶ running');
    expect(await field('id')).toBe(task.id);
    expect(await field('args')).toBe(formatData(task.args));
    expect(await field('worker')).toBe(task.worker);
    for (const time of ['enqueuedAt', 'startedAt'] as const) {
      expect(Number(await card.locator(`[data-field="${time}"] time`).getAttribute('data-epoch-ms')), time).toBe(task[time]);
    }
    // The timeline: enqueued and started at the task's own times, the finish not yet.
    const step = (key: string) => card.locator(`[data-step="${key}"]`);
    expect(Number(await step('enqueuedAt').locator('time').getAttribute('data-epoch-ms'))).toBe(task.enqueuedAt);
    expect(Number(await step('startedAt').locator('time').getAttribute('data-epoch-ms'))).toBe(task.startedAt);
    expect(await step('finishedAt').getAttribute('data-kind')).toBe('pending');
    expect(await card.locator('[data-leg="running for"]').count()).toBe(1);
    expect(await card.getByRole('button', { name: 'Copy id' }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('a failed task shows its exception, traceback and timeline as `task --json` gives them', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(`${serve.url}#/task/${ids.failed}`);
    const card = page.locator(`article.task[data-task="${ids.failed}"]`);
    await card.waitFor();
    const { task } = runCli<TaskView>(['task', '--id', ids.failed, '--redis', redis.url(0)]);
    const field = async (name: string) => (await card.locator(`[data-field="${name}"]`).first().textContent())?.trim();
    expect(await field('state')).toBe('✕ failed');
    expect(await field('error.type')).toBe(task.error!.type);
    expect(await field('error.message')).toBe(task.error!.message);
    expect(await field('error.traceback')).toBe(task.error!.traceback!.trim());
    expect(await card.locator('[data-step="finishedAt"] .label').textContent()).toBe('Failed');
    expect(Number(await card.locator('[data-step="finishedAt"] time').getAttribute('data-epoch-ms'))).toBe(task.finishedAt);
    expect(await card.locator('[data-leg="ran"]').textContent()).toMatch(/^ran \d/);
    expect(problems).toEqual([]);
  });

  it('alerts, settings and an unknown place each have a route that answers', async () => {
    const { page, problems } = await browsers.light!.newPage();
    await page.goto(`${serve.url}#/alerts`);
    await expect.poll(() => page.locator('main h2').first().textContent()).toBe('Alerts');
    if (!hasAlerts) expect(await page.locator('[data-empty="alerts"]').count()).toBe(1);
    else await page.locator('[data-section="firing"]').waitFor();
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Alerts');
    await page.goto(`${serve.url}#/settings`);
    // Settings is its own view (or a placeholder in a build without it): it answers under its route.
    await page.locator('main h2').first().waitFor();
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Settings');
    await page.goto(`${serve.url}#/nowhere`);
    await expect.poll(() => page.locator('main [role="status"]').textContent()).toContain('Nothing lives at #/nowhere');
    expect(problems).toEqual([]);
  });

  it('saves every view in light and dark at 390 px and on a desktop, none wider than the phone', async () => {
    const views: Array<[string, string, string]> = [
      ['overview', '#/', `article.queue-panel[data-queue="work"]`],
      ['queue', `#/queue/${encodeURIComponent(connectionId)}/rq/work`, '[data-section="trends"]'],
      ['task', `#/task/${ids.failed}`, `article.task[data-task="${ids.failed}"]`],
      ['task-running', `#/task/${ids.running}`, `article.task[data-task="${ids.running}"]`],
      ['alerts', '#/alerts', 'main h2'],
      ['settings', '#/settings', 'main h2'],
      ['not-found', '#/nowhere', 'main [role="status"]'],
    ];
    const overflow: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const { page, problems } = await browsers[scheme]!.newPage();
      for (const [name, hash, ready] of views) {
        await page.goto(`${serve.url}${hash}`);
        await page.locator(ready).first().waitFor();
        if (name === 'queue' && hasHistory) {
          await page.locator('figure[data-chart] canvas, figure[data-chart] .empty').first().waitFor();
        }
        const widths = await shootAtWidths(page, name, scheme);
        if (widths.phone! > 390) overflow.push(`${name} ${scheme}: ${widths.phone} px`);
      }
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(scheme === 'dark' ? 'rgb(21, 22, 26)' : 'rgb(247, 247, 248)');
      expect(problems).toEqual([]);
      await page.close();
    }
    expect(overflow).toEqual([]);
  });
});
