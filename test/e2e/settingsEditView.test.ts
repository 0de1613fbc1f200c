import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsEdit } from '../../src-main/contract/settings.js';
import { startWebServer, type WebServer } from '../../src-main/shells/web/webServer.js';
import type { PasswordSealer } from '../../src-main/shells/electron/settings/passwordSealer.js';
import type { ConfigDocumentStore } from '../../src-main/shells/electron/settings/savedConnections.js';
import { createSettingsHandlers } from '../../src-main/shells/electron/settings/settingsApi.js';
import { launchBrowser, type TestBrowser } from './support/browser.js';
import { buildRendererInto } from './support/rendererBuild.js';
import { shootAtWidths } from './support/viewShots.js';

/**
 * The tray app's Settings view editing rules, retention and notifications, in Chromium: the page
 * gets a tray bridge whose Settings calls go (through a Playwright binding) to the tray app's own
 * handlers over a config document kept here, so the merge and the config schemas are the real ones.
 */
let document: Record<string, unknown> = {
  connections: [{ id: 'prod', kind: 'redis', url: 'redis://prod.example:6379/0', passwordEncrypted: 'sealed:pw' }],
  rules: [{ id: 'backlog', clear: { op: '<=', value: 400 } }],
};
let applied = 0;
const store: ConfigDocumentStore = { path: '/home/me/.config/task-status/config.json', read: () => structuredClone(document), write: (next) => { document = structuredClone(next); } };
const sealer: PasswordSealer = { whyNotSealable: async () => null, seal: async (p) => `sealed:${p}`, open: async (s) => ({ password: s.slice(7), shouldReseal: false }) };
const handlers = createSettingsHandlers({ store, sealer, env: {}, loadWarnings: () => [], apply: async () => (applied += 1, true) });

/** Runs in the page: the bridge; Settings calls go to the binding, the rest answers empty. */
function installBridge(): void {
  const call = (window as unknown as { settingsCall: (method: string, args: unknown) => Promise<unknown> }).settingsCall;
  const empty = { alerts: [], snoozes: [], maintenance: [], evaluatedAt: null };
  (window as unknown as { taskStatus: unknown }).taskStatus = {
    getDashboard: async () => ({ generatedAt: Date.now(), connections: [] }),
    getAlerts: async () => empty,
    getSettings: (args: unknown) => call('getSettings', args),
    saveSettings: (args: unknown) => call('saveSettings', args),
    testConnection: (args: unknown) => call('testConnection', args),
    onDidChangeDashboard: () => () => {},
    onDidChangeAlerts: () => () => {},
  };
}

describe('Settings in the tray app: rules, retention, notifications', () => {
  let renderer: ReturnType<typeof buildRendererInto>;
  let server: WebServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    renderer = buildRendererInto();
    const refuse = async () => {
      throw { code: 'INTERNAL', detail: 'the HTTP transport must not be used when the bridge is present' };
    };
    const api = new Proxy({}, { get: (_, name) => (String(name).startsWith('on') ? () => () => {} : refuse) });
    server = await startWebServer({ api: api as never, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    browser = await launchBrowser({ colorScheme: 'light', timezoneId: 'Europe/Berlin' });
    await browser.context.exposeBinding('settingsCall', async (_source, method: string, args: unknown) => {
      if (method === 'getSettings') return handlers.getSettings({});
      if (method === 'saveSettings') return handlers.saveSettings(args as SettingsEdit);
      throw new Error(`not in this test: ${method}`);
    });
    await browser.context.addInitScript(installBridge);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    renderer?.remove();
  });

  it('edits a rule threshold and its for: a refused value is shown beside its field and nothing is saved; a good one is saved and applied', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${server.url}#/settings`);
    const backlog = page.locator('tr[data-rule="backlog"]');
    await expect.poll(() => backlog.locator('[data-field="value"]').inputValue()).toBe('1000');
    expect(await page.locator('tr[data-rule]').count()).toBe(13);
    expect(await backlog.locator('[data-field="for"]').inputValue()).toBe('0s');

    // A `for` that is not a duration: refused by the config's own schema, beside the field.
    await backlog.locator('[data-field="for"]').fill('soon');
    await page.locator('[data-action="saveRules"]').click();
    await expect.poll(() => page.locator('[data-error="rules.backlog.for"]').textContent()).toBe('a duration like "5m"');
    expect((await page.locator('[role="status"]').textContent())?.trim()).toBe('Nothing saved: a value was refused (shown beside it).');
    expect(document.rules).toEqual([{ id: 'backlog', clear: { op: '<=', value: 400 } }]);
    expect(applied).toBe(0);

    await backlog.locator('[data-field="for"]').fill('2m');
    await backlog.locator('[data-field="value"]').fill('500');
    await page.locator('[data-action="saveRules"]').click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('Rules saved and applied.');
    expect(await page.locator('[data-error]').count()).toBe(0);
    expect(document.rules).toEqual([{ id: 'backlog', clear: { op: '<=', value: 400 }, condition: { value: 500 }, for: '2m' }]);
    expect(applied).toBe(1);
    expect(await backlog.locator('[data-field="value"]').inputValue()).toBe('500');
    await shootAtWidths(page, 'settings-edit-tray', 'light');
    expect(problems).toEqual([]);
  }, 60_000);

  it('saves a retention span and turns notifications off; a span longer than the next rollup is refused', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(`${server.url}#/settings`);
    const raw = page.locator('[data-field="retention-raw"]');
    await expect.poll(() => raw.count()).toBe(1);
    await raw.fill('90d');
    await page.locator('[data-action="saveRetention"]').click();
    await expect.poll(() => page.locator('[data-error="retention"]').count()).toBe(1);
    expect(document.history).toBeUndefined();
    await raw.fill('48h');
    await page.locator('[data-action="saveRetention"]').click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('Retention saved and applied.');
    expect(document.history).toEqual({ raw: '48h' });

    const notifications = page.locator('[data-field="notificationsEnabled"]');
    expect(await notifications.isChecked()).toBe(true);
    await notifications.uncheck();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toBe('Notifications saved and applied.');
    expect(document.notifications).toEqual({ enabled: false });
    expect(await notifications.isChecked()).toBe(false);
    expect(problems).toEqual([]);
  }, 60_000);
});
