import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiArgs, ApiMethodName, ApiResult, ApiReturn } from '../../src-main/contract/api.js';
import type { ConnectionView, DashboardView } from '../../src-main/contract/dashboard.js';
import { httpRoute } from '../../src-main/contract/endpoints.js';
import type { QueueFigures } from '../../src-main/contract/figures.js';
import { figureRows } from '../../src-renderer/lib/format/figureTable.js';
import { formatData } from '../../src-renderer/lib/format/valueText.js';
import { startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../support/rqWorkers.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { assertBuilt, startServe, type ServeProcess } from './support/serveProcess.js';

/**
 * The web face end to end: `task-status serve` (the built CLI) on a private redis-server where
 * real RQ 1.13 jobs were enqueued and run by a real worker, read by Debian's Chromium.
 */
const root = resolve(import.meta.dirname, '../..');

/** What one queue panel of the page shows: each figure's raw value and its text. */
interface PanelReading {
  takenAt: number;
  values: Record<string, number | null>;
  texts: Record<string, string>;
}

async function readPanel(page: Page, selector: string): Promise<PanelReading> {
  return page.locator(selector).evaluate((panel) => {
    const values: Record<string, number | null> = {};
    const texts: Record<string, string> = {};
    for (const dd of panel.querySelectorAll<HTMLElement>('[data-figure]')) {
      const key = dd.dataset.figure!;
      values[key] = dd.dataset.value === 'null' ? null : Number(dd.dataset.value);
      texts[key] = dd.textContent!.trim();
    }
    const takenAt = Number(panel.querySelector<HTMLElement>('footer time')!.dataset.epochMs);
    return { takenAt, values, texts };
  });
}

/** What the page should show for a queue, by the renderer's own figure table and formats. */
function expectedPanel(queue: QueueFigures): PanelReading {
  const values: Record<string, number | null> = {};
  const texts: Record<string, string> = {};
  for (const row of figureRows) {
    const value = row.read(queue);
    values[row.key] = value;
    texts[row.key] = value === null ? '?' : row.format(value);
  }
  return { takenAt: queue.takenAt, values, texts };
}

function runCli(args: string[]): unknown {
  const run = spawnSync(process.execPath, [resolve(root, 'bin/task-status.js'), ...args, '--json'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`task-status ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('web dashboard on real RQ data', () => {
  let redis: PrivateRedis;
  let serve: ServeProcess;
  let browser: TestBrowser;
  let ids: { waiting: string[]; scheduled: string; succeeded: string; failed: string };
  let connectionId: string;

  async function call<M extends ApiMethodName>(method: M, args: ApiArgs<M>): Promise<ApiReturn<M>> {
    const response = await fetch(new URL(httpRoute(method), serve.url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args),
    });
    const result = (await response.json()) as ApiResult<ApiReturn<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.detail}`);
    return result.value;
  }
  const connectionOf = (view: DashboardView): ConnectionView => view.connections.find((c) => c.id === connectionId)!;
  const queueOf = (view: DashboardView, name: string): QueueFigures => connectionOf(view).queues.find((q) => q.queue === name)!;

  beforeAll(async () => {
    assertBuilt();
    redis = await startRedis();
    const enqueued = rqTool<string[]>(redis, 0, 'enqueue', [
      { queue: 'default', func: 'add', args: [1, 2] },
      { queue: 'default', func: 'add', args: [3, 4] },
      { queue: 'default', func: 'echo', args: ['x'], kwargs: { k: 1 } },
      { queue: 'default', func: 'add', args: [5, 6], enqueue_in: 3600 },
      { queue: 'work', func: 'add', args: [1, 2] },
      { queue: 'work', func: 'fail', args: ['boom'] },
    ]);
    ids = { waiting: enqueued.slice(0, 3), scheduled: enqueued[3]!, succeeded: enqueued[4]!, failed: enqueued[5]! };
    // A real worker runs the `work` queue (one success, one failure) and stays online, idle.
    await startRqWorker(redis, { db: 0, queues: ['work'], name: 'e2e-worker' });
    await waitFor(() => redis.cli(['ZCARD', 'rq:finished:work']) === '1' && redis.cli(['ZCARD', 'rq:failed:work']) === '1', 'the worker to run both jobs');
    serve = await startServe(['--redis', redis.url(0), '--port', '0', '--host', '127.0.0.1', '--interval', '1s']);
    browser = await launchBrowser({ timezoneId: 'Europe/Berlin' });
    const first = await call('getDashboard', {});
    connectionId = first.connections[0]!.id;
  });

  afterAll(async () => {
    await browser?.close();
    const code = serve === undefined ? 'not started' : await serve.stop();
    await destroyAllRqWorkers();
    await redis?.stop();
    if (code !== 'not started') expect(code, 'exit code of task-status serve after SIGTERM').toBe(0);
  });

  it('prints its own address and serves the dashboard with the strict CSP', async () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(serve.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'/);
  });

  it('shows every figure of every queue as the JSON API and the CLI give them', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(serve.url);
    const section = `section[data-connection="${connectionId}"]`;
    const panel = (name: string) => `${section} article.queue-panel[data-queue="${name}"]`;
    await page.locator(panel('default')).waitFor();
    await page.locator(panel('work')).waitFor();

    // The page follows the polls (1 s apart): compare a page reading with the API's view of the
    // same poll, retrying while the two were taken on either side of a poll.
    let compared = false;
    let last = '';
    for (const deadline = Date.now() + 20_000; !compared && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const shown = { default: await readPanel(page, panel('default')), work: await readPanel(page, panel('work')) };
      const view = await call('getDashboard', {});
      const expected = { default: expectedPanel(queueOf(view, 'default')), work: expectedPanel(queueOf(view, 'work')) };
      last = `page ${JSON.stringify(shown)}\napi  ${JSON.stringify(expected)}`;
      if (shown.default.takenAt !== expected.default.takenAt || shown.work.takenAt !== expected.work.takenAt) continue;
      expect(shown).toEqual(expected);
      compared = true;
    }
    expect(compared, `no page reading matched an API reading of the same poll; last:\n${last}`).toBe(true);

    // The counts, independently: Redis itself, and the CLI's --json.
    const values = (await readPanel(page, panel('default'))).values;
    const work = (await readPanel(page, panel('work'))).values;
    expect([values.waiting, values.scheduled]).toEqual([Number(redis.cli(['LLEN', 'rq:queue:default'])), Number(redis.cli(['ZCARD', 'rq:scheduled:default']))]);
    expect([values.waiting, values.scheduled, work.failed, work.waiting]).toEqual([3, 1, 1, 0]);
    const cli = runCli(['dashboard', '--redis', redis.url(0), '--window', '0s']) as DashboardView;
    const countKeys = ['waiting', 'scheduled', 'reserved', 'running', 'failed', 'dead', 'retrying', 'workers.online', 'workers.busy', 'workers.offline'];
    for (const [name, shownValues] of [['default', values], ['work', work]] as const) {
      const fromCli = expectedPanel(queueOf(cli, name)).values;
      for (const key of countKeys) expect(shownValues[key], `${name} ${key}`).toBe(fromCli[key]);
    }

    // The connection and its worker.
    const view = await call('getDashboard', {});
    expect((await page.locator(`${section} [data-field="status"]`).textContent())?.trim()).toBe('✓ ok');
    expect(await page.locator(`${section} [data-field="frameworks"]`).textContent()).toBe(connectionOf(view).frameworks.join(', '));
    const worker = connectionOf(view).workers.find((w) => w.name === 'e2e-worker')!;
    expect([worker.state, worker.busy]).toEqual(['online', false]);
    const row = page.locator(`${section} tr[data-worker="e2e-worker"]`);
    expect((await row.locator('[data-field="state"]').textContent())?.trim()).toBe('● online');
    expect((await row.locator('[data-field="busy"]').textContent())?.trim()).toBe('■ idle');
    expect(await row.locator('[data-field="lastSeenAt"] time').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CET$/);
    await browser.screenshot(page, 'web-dashboard');
    expect(problems).toEqual([]);
  });

  it('opens a queue with its figures and its workers', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(serve.url);
    await page.locator('article.queue-panel[data-queue="work"] h3 a').click();
    expect(new URL(page.url()).hash).toBe(`#/queue/${encodeURIComponent(connectionId)}/rq/work`);
    await expect.poll(() => page.locator('main h2').textContent()).toBe(`work · rq on ${connectionId}`);
    const shown = await readPanel(page, 'article.queue-panel[data-queue="work"]');
    const view = await call('getQueues', { name: 'work', framework: 'rq' });
    expect(view.queues).toHaveLength(1);
    expect(shown.values).toEqual(expectedPanel(view.queues[0]!).values);
    expect(await page.locator('table caption').allTextContents()).toEqual(['Workers consuming work (1)']);
    expect(await page.locator('tr[data-worker="e2e-worker"]').count()).toBe(1);
    await browser.screenshot(page, 'web-queue');
    expect(problems).toEqual([]);
  });

  it('opens a task by id with every field the API gives', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Task by id' }).click();
    await page.fill('#task-id', ids.failed);
    await page.click('button[type="submit"]');
    expect(new URL(page.url()).hash).toBe(`#/task/${ids.failed}`);
    const card = page.locator(`article.task[data-task="${ids.failed}"]`);
    await card.waitFor();
    const { task } = await call('getTask', { id: ids.failed });
    expect((runCli(['task', '--id', ids.failed, '--redis', redis.url(0)]) as { task: unknown }).task).toEqual(task);
    expect([task.state, task.queue, task.name, task.worker]).toEqual(['failed', 'work', 'rq_jobs.fail', 'e2e-worker']);

    const field = async (name: string) => (await card.locator(`[data-field="${name}"]`).first().textContent())?.trim();
    const epoch = async (name: string) => Number(await card.locator(`[data-field="${name}"] time`).getAttribute('data-epoch-ms'));
    expect(await field('state')).toBe(`✕ ${task.state}`);
    expect(await field('id')).toBe(task.id);
    expect(await field('connection')).toBe(task.connection);
    expect(await field('queue')).toBe(task.queue);
    expect(await field('name')).toBe(task.name);
    expect(await field('description')).toBe(task.description);
    expect(await field('args')).toBe(formatData(task.args));
    expect(await field('worker')).toBe(task.worker);
    for (const time of ['enqueuedAt', 'startedAt', 'finishedAt'] as const) expect(await epoch(time), time).toBe(task[time]);
    expect(await field('error.type')).toBe(task.error!.type);
    expect(await field('error.message')).toBe(task.error!.message);
    expect(await field('error.traceback')).toBe(task.error!.traceback!.trim());
    expect(task.error!.traceback).toContain('ValueError: boom');
    await browser.screenshot(page, 'web-task');

    await page.fill('#task-id', ids.succeeded);
    await page.click('button[type="submit"]');
    const done = page.locator(`article.task[data-task="${ids.succeeded}"]`);
    await done.waitFor();
    expect((await done.locator('[data-field="state"]').textContent())?.trim()).toBe('✓ succeeded');
    expect((await done.locator('[data-field="result"]').textContent())?.trim()).toBe('3');

    await page.fill('#task-id', 'no-such-task');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toMatch(/^✕ Task not found/);
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  });

  it('updates live when the queue changes', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(serve.url);
    const waiting = page.locator('article.queue-panel[data-queue="default"] [data-figure="waiting"]');
    await expect.poll(() => waiting.textContent()).toBe('3');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    rqTool(redis, 0, 'enqueue', [{ queue: 'default', func: 'add', args: [7, 8] }, { queue: 'default', func: 'add', args: [9, 10] }]);
    await expect.poll(() => waiting.textContent(), { timeout: 15_000 }).toBe('5');
    // The same page, updated by the event stream: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(Number(redis.cli(['LLEN', 'rq:queue:default']))).toBe(5);
    expect((await page.locator('[data-link]').textContent())?.trim()).toMatch(/^● live/);
    await browser.screenshot(page, 'web-live');
    expect(problems).toEqual([]);
  });
});
