import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { setupMonitor, type MonitorLink } from '../../../src-main/shells/electron/monitorLink.js';
import { openConfigStore } from '../../../src-main/shells/electron/settings/configStore.js';
import { createSafeStorageSealer } from '../../../src-main/shells/electron/settings/passwordSealer.js';
import { trayViewOf } from '../../../src-main/shells/electron/trayModel.js';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { fake, fakeCipher, fakeState, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

/**
 * The tray's path from saved connections to status, on a real private redis-server with a
 * password: settings (sealed password) → createApp → monitor → dashboard → tray view.
 */
const password = 'tray-pw-81d';
let redis: PrivateRedis;
let dir: string;
let link: MonitorLink | null = null;
const warnings: string[] = [];

beforeAll(async () => {
  redis = await startRedis(['--requirepass', password]);
});
afterAll(async () => redis?.stop());
beforeEach(async () => {
  resetFakeElectron();
  warnings.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'task-status-tray-'));
  fakeState.userDataDir = dir;
});
afterEach(async () => {
  await link?.close();
  link = null;
  await rm(dir, { recursive: true, force: true });
});

async function start(config: unknown): Promise<MonitorLink> {
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  link = await setupMonitor({ openStore: openConfigStore, sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, warn: (m) => warnings.push(m) });
  return link;
}

/** The first dashboard in which every connection has been polled. */
function firstFullPoll(monitor: MonitorLink): Promise<DashboardView> {
  return new Promise((resolve) => {
    const stop = monitor.api.onDidChangeDashboard((view) => {
      if (view.connections.every((c) => c.pollDurationMs !== null)) {
        stop();
        resolve(view);
      }
    });
  });
}

const trayOf = (view: DashboardView, pollIntervalMs: number) => trayViewOf(overallStatusOf(view.connections, Date.now(), pollIntervalMs));

describe('setupMonitor on a real redis-server', () => {
  it('a password typed in clear: sealed on disk, used in memory, tray ok', async () => {
    const monitor = await start({ pollInterval: '500ms', connections: [{ id: 'local', kind: 'redis', url: redis.url(0), password }] });
    expect(monitor.pollIntervalMs).toBe(500);
    const view = await firstFullPoll(monitor);
    expect(view.connections.map((c) => [c.id, c.status])).toEqual([['local', 'ok']]);
    expect(trayOf(view, 500).status).toBe('ok');
    const onDisk = await readFile(join(dir, 'config.json'), 'utf8');
    expect(onDisk).not.toContain(password);
    expect(JSON.parse(onDisk).connections[0].passwordEncrypted).toBe(fakeCipher.seal(password).toString('base64'));
    expect(warnings).toEqual([]);
  });

  it('a wrong sealed password: emergency, unauthorized', async () => {
    const sealedWrong = fakeCipher.seal('not-the-password').toString('base64');
    const monitor = await start({ pollInterval: '500ms', connections: [{ id: 'local', kind: 'redis', url: redis.url(0), passwordEncrypted: sealedWrong }] });
    const view = await firstFullPoll(monitor);
    const tray = trayOf(view, 500);
    expect([view.connections[0]!.status, tray.status]).toEqual(['unauthorized', 'emergency']);
    expect(tray.menu.find((e) => e.kind === 'headline')).toEqual({ kind: 'headline', label: 'Emergency: broker unreachable: local' });
  });

  it('a broker that is not there: emergency, unreachable', async () => {
    const monitor = await start({ pollInterval: '500ms', connections: [{ id: 'gone', kind: 'redis', url: `redis://127.0.0.1:${await freePort()}/0` }] });
    const view = await firstFullPoll(monitor);
    expect([view.connections[0]!.status, trayOf(view, 500).status]).toEqual(['unreachable', 'emergency']);
  });

  it('a config it cannot use: every call answers with the coded error', async () => {
    const monitor = await start({ connections: [{ id: 'bad', kind: 'redis', url: 'http://example.com' }] });
    await expect(monitor.api.getDashboard({})).rejects.toMatchObject({ code: 'BAD_URL' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^BAD_URL: /);
  });

  it('a config file that is not JSON: BAD_CONFIG, and the file is left alone', async () => {
    await writeFile(join(dir, 'config.json'), '{ "connections": [');
    link = await setupMonitor({ openStore: openConfigStore, sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, warn: (m) => warnings.push(m) });
    await expect(link.api.getDashboard({})).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe('{ "connections": [');
  });
});
