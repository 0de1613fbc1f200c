import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiReturn, ApiResult } from '../../src-main/contract/api.js';
import type { ConnectionView } from '../../src-main/contract/dashboard.js';
import { httpRoute } from '../../src-main/contract/endpoints.js';
import { errorHeadline } from '../../src-renderer/lib/format/errorText.js';
import { startRedis, type PrivateRedis } from '../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker } from '../support/rqWorkers.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { assertBuilt, startServe, type ServeProcess } from './support/serveProcess.js';

/**
 * Connections that cannot be read, for real: `task-status serve` on a redis-server that held
 * RQ jobs and a worker and is then stopped (unreachable after a good poll), and on one that
 * refuses the password it is given (unauthorized, never read).
 */
const text = async (locator: Locator) => (await locator.textContent())?.replace(/\s+/g, ' ').trim();

describe('web dashboard on connections that cannot be read', () => {
  let gone: PrivateRedis;
  let locked: PrivateRedis;
  let serve: ServeProcess;
  let browser: TestBrowser;

  async function dashboard(): Promise<ApiReturn<'getDashboard'>> {
    const response = await fetch(new URL(httpRoute('getDashboard'), serve.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const result = (await response.json()) as ApiResult<ApiReturn<'getDashboard'>>;
    if (!result.ok) throw new Error(`getDashboard: ${result.error.code} ${result.error.detail}`);
    return result.value;
  }
  const connection = async (port: number): Promise<ConnectionView> => (await dashboard()).connections.find((c) => c.url.includes(`:${port}/`))!;

  beforeAll(async () => {
    assertBuilt();
    gone = await startRedis();
    locked = await startRedis(['--requirepass', 'right-password']);
    rqTool(gone, 0, 'enqueue', [{ queue: 'default', func: 'add', args: [1, 2] }, { queue: 'default', func: 'add', args: [3, 4] }]);
    await startRqWorker(gone, { db: 0, queues: ['other'], name: 'e2e-idle' });
    serve = await startServe(['--redis', gone.url(0), '--redis', `redis://:wrong-password@127.0.0.1:${locked.port}/0`, '--port', '0', '--host', '127.0.0.1', '--interval', '1s']);
    browser = await launchBrowser({ timezoneId: 'Europe/Berlin' });
  });

  afterAll(async () => {
    await browser?.close();
    const code = serve === undefined ? 'not started' : await serve.stop();
    await destroyAllRqWorkers();
    await gone?.stop();
    await locked?.stop();
    if (code !== 'not started') expect(code, 'exit code of task-status serve after SIGTERM').toBe(0);
  });

  it('says why each could not be read, since when, and marks the queues and workers it last knew', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(serve.url);
    const goneSection = page.locator(`section[data-connection="${(await connection(gone.port)).id}"]`);
    const lockedSection = page.locator(`section[data-connection="${(await connection(locked.port)).id}"]`);
    await goneSection.locator('article.queue-panel[data-queue="default"]').waitFor();
    await goneSection.locator('tr[data-worker="e2e-idle"]').waitFor();
    expect(await text(goneSection.locator('[data-field="status"]'))).toBe('✓ ok');
    expect(await goneSection.locator('[data-last-known="true"], [data-field="failure"]').count()).toBe(0);

    // A wrong password: never read, so nothing to show but why.
    const refused = await connection(locked.port);
    expect([refused.status, refused.statusReason?.code, refused.lastGoodPollAt]).toEqual(['unauthorized', 'AUTH_FAILED', null]);
    expect(await text(lockedSection.locator('[data-field="status"]'))).toBe('⊘ unauthorized');
    expect(await text(lockedSection.locator('[data-field="failure"] strong'))).toBe('✕ This connection could not be read');
    expect(await text(lockedSection.locator('[data-field="reason"]'))).toBe(`Why: Credentials refused: 127.0.0.1:${locked.port} refused the username or password`);
    expect(await text(lockedSection.locator('[data-field="since"]'))).toBe('Last good poll: never');
    expect(await lockedSection.locator('article.queue-panel, table').count()).toBe(0);
    expect(await text(lockedSection)).not.toMatch(/No queues found|no workers seen/);

    // The broker goes away: the page says so, and what it still shows is the last good poll.
    await gone.stop();
    const statusBadge = goneSection.locator('[data-field="status"]');
    await expect.poll(() => text(statusBadge), { timeout: 15_000 }).toBe('✕ unreachable');
    // The poll that meets the server going down may see the connection closed; every later one is refused.
    const reason = goneSection.locator('[data-field="reason"]');
    await expect.poll(() => text(reason), { timeout: 10_000 }).toBe(`Why: Cannot reach the broker: 127.0.0.1:${gone.port} refused the connection (is Redis running there?)`);
    const down = await connection(gone.port);
    expect([down.status, down.statusReason?.code]).toEqual(['unreachable', 'TARGET_UNREACHABLE']);
    expect(down.lastGoodPollAt).not.toBeNull();
    expect(down.takenAt).toBe(down.lastGoodPollAt);
    expect(await text(reason)).toBe(`Why: ${errorHeadline(down.statusReason!)}: ${down.statusReason!.detail}`);
    expect(Number(await goneSection.locator('[data-field="since"] time').getAttribute('data-epoch-ms'))).toBe(down.lastGoodPollAt);
    expect(await text(goneSection.locator('[data-field="since"]'))).toMatch(/^Last good poll: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CE(S)?T \((just now|\d+ s ago)\)$/);

    expect(Number(await goneSection.locator('[data-field="lastKnown"] time').getAttribute('data-epoch-ms'))).toBe(down.takenAt);
    const panel = goneSection.locator('article.queue-panel[data-queue="default"]');
    expect(await panel.getAttribute('data-last-known')).toBe('true');
    expect(await text(panel.locator('header .mark'))).toBe('◷ last known');
    expect(await panel.locator('[data-figure="waiting"]').getAttribute('data-value')).toBe('2');
    expect(Number(await panel.locator('footer time').getAttribute('data-epoch-ms'))).toBe(down.takenAt);
    expect(await goneSection.locator('table caption').textContent()).toMatch(/^Workers, last known at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CE(S)?T \(1\)$/);
    expect(await goneSection.locator('tr[data-worker="e2e-idle"]').count()).toBe(1);
    await browser.screenshot(page, 'web-unreadable');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await browser.screenshot(page, 'web-unreadable-phone');
    expect(problems).toEqual([]);
  });
});
