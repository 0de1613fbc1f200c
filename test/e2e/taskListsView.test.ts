import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../support/rqWorkers.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { assertBuilt, startServe, type ServeProcess } from './support/serveProcess.js';
import { shootAtWidths } from './support/viewShots.js';

/**
 * The queue view's task lists and actions, and the Settings view, end to end: `task-status serve`
 * (built) with `readOnly: false` in its config, on a private Redis where a real RQ 1.13 worker
 * failed three jobs; what the page lists and what its buttons do is checked against what RQ
 * itself reports (rq_registries.py) and redis-cli.
 */
interface RqIds { waiting: string[]; failed: string[]; count: number; failed_count: number }
interface RqJob { exists: boolean; status: string | null }

let redis: PrivateRedis;
let serve: ServeProcess;
let browser: TestBrowser;
let home: string;
const savedEnv = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
let backlog: string[];

function rq<T>(command: 'ids' | 'job', argument: unknown): T {
  const run = spawnSync('/usr/bin/python3', [join(import.meta.dirname, '..', 'probes', 'rq', 'rq_registries.py'), redis.url(0), command, JSON.stringify(argument)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`rq_registries ${command}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

beforeAll(async () => {
  assertBuilt();
  home = mkdtempSync(join(tmpdir(), 'task-status-tasklists-home-'));
  Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config') });
  redis = await startRedis();
  backlog = rqTool<string[]>(redis, 0, 'enqueue', Array.from({ length: 60 }, (_, i) => ({ queue: 'backlog', func: 'add', args: [i, 1000 + i] })));
  rqTool(redis, 0, 'enqueue', [1, 2, 3].map((n) => ({ queue: 'work', func: 'fail', args: [`boom-${n}`] })));
  const worker = await startRqWorker(redis, { db: 0, queues: ['work'], name: 'lists-worker' });
  await waitFor(() => redis.cli(['ZCARD', 'rq:failed:work']) === '3', 'three failures');
  await worker.stop();
  const config = join(home, 'task-status.json');
  writeFileSync(config, JSON.stringify({ readOnly: false, connections: [{ id: 'local', url: redis.url(0) }] }));
  serve = await startServe(['--config', config, '--port', '0', '--host', '127.0.0.1', '--interval', '1s']);
  browser = await launchBrowser({ timezoneId: 'Europe/Berlin' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await destroyAllRqWorkers();
  await redis?.stop();
  Object.assign(process.env, savedEnv);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('task lists in the queue view', () => {
  it('pages and searches the waiting list as RQ keeps it', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${serve.url}#/queue/local/rq/backlog`);
    const panel = page.locator('section[data-section="taskLists"]');
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent(), { timeout: 15_000 }).toBe('1–25 of 60');
    const ids = () => panel.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')));
    expect(await ids()).toEqual(rq<RqIds>('ids', 'backlog').waiting.slice(0, 25));
    expect(await panel.locator('tbody tr').first().locator('td').first().textContent()).toContain('rq_jobs.add(0, 1000)');
    await shootAtWidths(page, 'tasklist-waiting', 'light');
    await panel.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent()).toBe('26–50 of 60');
    expect(await ids()).toEqual(backlog.slice(25, 50));
    await panel.getByRole('searchbox').fill('1042');
    await panel.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent()).toBe('1–1 of 1 matching');
    expect(await ids()).toEqual([backlog[42]]);
    expect(await panel.locator('.note').allTextContents()).toContain('searched all 60 entries');
    expect(problems).toEqual([]);
  }, 30_000);

  it('retries a failure after the dialog is confirmed; RQ sees it queued again', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${serve.url}#/queue/local/rq/work`);
    const panel = page.locator('section[data-section="taskLists"]');
    await panel.locator('button[data-state="failed"]').click();
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent(), { timeout: 15_000 }).toBe('1–3 of 3');
    const failed = rq<RqIds>('ids', 'work').failed;
    const target = failed[0]!;
    await shootAtWidths(page, 'tasklist-failed', 'light');
    await panel.locator(`tr[data-task="${target}"] button[data-action="retry"]`).click();
    const dialog = page.locator('dialog.confirm');
    await expect.poll(() => dialog.locator('#confirm-question').textContent()).toBe(`Retry rq_jobs.fail ${target}? It goes back to the end of “work”.`);
    await page.screenshot({ path: join(import.meta.dirname, '../../test-results/screenshots/tasklist-confirm-light-desktop.png') });
    await dialog.locator('button[data-action="confirm"]').click();
    await expect.poll(() => panel.locator('.done').textContent()).toBe(`Done: requeued RQ job ${target} from the failed registry to work`);
    expect(rq<RqJob>('job', target).status).toBe('queued');
    expect(rq<RqIds>('ids', 'work')).toMatchObject({ waiting: [target], failed_count: 2 });
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent()).toBe('1–2 of 2');
    const log = readFileSync(join(home, '.config', 'task-status', 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log.at(-1)).toMatchObject({ outcome: 'done', action: 'retry', id: target, connection: 'local', queue: 'work' });
    expect(problems).toEqual([]);
  }, 30_000);

  it('purges a queue only once its name is typed again', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${serve.url}#/queue/local/rq/backlog`);
    const panel = page.locator('section[data-section="taskLists"]');
    await expect.poll(() => panel.locator('[data-field="pageLabel"]').textContent(), { timeout: 15_000 }).toBe('1–25 of 60');
    await panel.locator('button[data-action="purge"]').click();
    const dialog = page.locator('dialog.confirm');
    const confirm = dialog.locator('button[data-action="confirm"]');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('[data-field="typeToConfirm"]').fill('backlo');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('[data-field="typeToConfirm"]').fill('backlog');
    await confirm.click();
    await expect.poll(() => panel.locator('.done').textContent()).toBe('Done: emptied RQ queue backlog: 60 jobs deleted');
    expect(rq<RqIds>('ids', 'backlog').count).toBe(0);
    expect(rq<RqJob>('job', backlog[0]!).exists).toBe(false);
  }, 30_000);

  it('Settings shows where passwords live and the read-only switch as the config says, not editable in the web face', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${serve.url}#/settings`);
    await expect.poll(() => page.locator('[data-field="source"]').textContent(), { timeout: 15_000 }).toContain('task-status.json');
    expect(await page.locator('tr[data-connection="local"] [data-field="password"]').textContent()).toContain('none');
    expect(await page.locator('[data-field="allowActions"]').isChecked()).toBe(true);
    expect(await page.locator('[data-field="allowActions"]').isDisabled()).toBe(true);
    expect(await page.locator('button[data-action="add"]').count()).toBe(0);
    await shootAtWidths(page, 'settings-tray-web', 'light');
    expect(problems).toEqual([]);
  }, 30_000);
});
