import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DashboardView } from '../../../../src-main/contract/dashboard.js';
import { openConfigStore } from '../../../../src-main/shells/electron/settings/configStore.js';
import { createSafeStorageSealer } from '../../../../src-main/shells/electron/settings/passwordSealer.js';
import { setupMonitorWithSettings } from '../../../../src-main/shells/electron/settings/settingsLink.js';
import { startRedis, type PrivateRedis } from '../../../support/redisServer.js';
import { fake, fakeState, resetFakeElectron } from '../fakeElectron.js';

vi.mock('electron', async () => (await import('../fakeElectron.js')).fakeElectronModule());

/** Saving Settings in the tray app restarts the monitor behind the same Api object. */
let redis: PrivateRedis;
let dir: string;
beforeAll(async () => {
  redis = await startRedis();
  resetFakeElectron();
  dir = await mkdtemp(join(tmpdir(), 'task-status-settings-link-'));
  fakeState.userDataDir = dir;
  await writeFile(join(dir, 'config.json'), JSON.stringify({ connections: [{ id: 'one', kind: 'redis', url: redis.url(0) }] }));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('setupMonitorWithSettings', () => {
  it('applies saved connections and the read-only switch; listeners follow the new monitor', async () => {
    const link = await setupMonitorWithSettings({ openStore: openConfigStore, sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, warn: vi.fn() });
    const seen: string[][] = [];
    const stop = link.api.onDidChangeDashboard((view: DashboardView) => seen.push(view.connections.map((c) => c.id)));
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['one']));
    const listed = async () => (await link.api.listTasks({ connection: 'one', framework: 'rq', queue: 'nope', state: 'waiting' }).catch((e: { code: string }) => e.code));
    expect(await listed()).toBe('QUEUE_NOT_FOUND');

    const saved = await link.api.saveSettings({ connections: [{ id: 'one', kind: 'redis', url: redis.url(0) }, { id: 'two', kind: 'redis', url: redis.url(1) }], readOnly: false });
    expect(saved).toMatchObject({ applied: true, warnings: [], settings: { readOnly: false, editable: true } });
    expect((await link.api.getDashboard({})).connections.map((c) => c.id)).toEqual(['one', 'two']);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['one', 'two']), { timeout: 10_000 });
    stop();
    await link.close();
  }, 30_000);

  it('a rule threshold saved in Settings takes effect in the new monitor; the notifications switch follows the config', async () => {
    redis.cli(['SADD', 'rq:queues', 'rq:queue:settings-demo'], 2);
    redis.cli(['RPUSH', 'rq:queue:settings-demo', 'j1', 'j2', 'j3'], 2);
    const link = await setupMonitorWithSettings({ openStore: openConfigStore, sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, warn: vi.fn() });
    expect(link.notificationsEnabled).toBe(true);
    const backlog = async () => (await link.api.getAlerts({})).alerts.filter((a) => a.ruleId === 'backlog').map((a) => [a.state, a.level]);
    const saved = await link.api.saveSettings({
      connections: [{ id: 'three', kind: 'redis', url: redis.url(2) }],
      rules: [{ id: 'backlog', value: 2, level: 'error' }],
      notifications: { enabled: false },
    });
    expect(saved).toMatchObject({ applied: true, warnings: [] });
    expect(saved.settings.ruleSettings!.find((r) => r.id === 'backlog')).toMatchObject({ value: 2, level: 'error' });
    expect(link.notificationsEnabled).toBe(false);
    // 3 waiting > 2: the edited rule fires at the error level it was given.
    await vi.waitFor(async () => expect(await backlog()).toEqual([['firing', 'error']]), { timeout: 15_000 });
    await link.close();
  }, 30_000);

  it('a retention saved in Settings reaches the history file of the rebuilt monitor; set back to the default, the default', async () => {
    const link = await setupMonitorWithSettings({ openStore: openConfigStore, sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, warn: vi.fn(), historyPath: join(dir, 'history.db') });
    expect((await link.api.getHistoryInfo({})).retention.rawMs).toBe(86_400_000);
    expect(await link.api.saveSettings({ retention: { raw: '12h', minute: '7d' } })).toMatchObject({ applied: true });
    expect((await link.api.getHistoryInfo({})).retention).toMatchObject({ rawMs: 43_200_000, minuteMs: 7 * 86_400_000 });
    expect(await link.api.saveSettings({ retention: { raw: null } })).toMatchObject({ applied: true, settings: { retention: { raw: '24h', minute: '7d' } } });
    expect((await link.api.getHistoryInfo({})).retention).toMatchObject({ rawMs: 86_400_000, minuteMs: 7 * 86_400_000 });
    await link.close();
  }, 30_000);
});
