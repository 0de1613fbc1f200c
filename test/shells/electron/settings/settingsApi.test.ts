import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfigStore } from '../../../../src-main/shells/electron/settings/configStore.js';
import { createSafeStorageSealer } from '../../../../src-main/shells/electron/settings/passwordSealer.js';
import { createSettingsHandlers } from '../../../../src-main/shells/electron/settings/settingsApi.js';
import { freePort, startRedis, type PrivateRedis } from '../../../support/redisServer.js';
import { rqTool } from '../../../support/rqWorkers.js';
import { fake, fakeCipher, fakeState, resetFakeElectron } from '../fakeElectron.js';

vi.mock('electron', async () => (await import('../fakeElectron.js')).fakeElectronModule());

/** The tray app's Settings calls, with safeStorage faked and a private password-protected Redis holding an RQ queue. */
const secret = 'redis-s3cret';
let redis: PrivateRedis;
let dir: string;
const file = () => join(dir, 'config.json');
const sealed = (text: string) => fakeCipher.seal(text).toString('base64');
const apply = vi.fn(async () => true);

function handlers() {
  return createSettingsHandlers({ store: openConfigStore(), sealer: createSafeStorageSealer(fake.safeStorage as never, 'linux'), env: {}, apply, loadWarnings: () => [] });
}

beforeAll(async () => {
  redis = await startRedis();
  rqTool(redis, 0, 'enqueue', [{ queue: 'emails', func: 'add', args: [1, 2] }]);
  redis.cli(['CONFIG', 'SET', 'requirepass', secret]);
}, 30_000);
afterAll(async () => redis?.stop());
beforeEach(async () => {
  resetFakeElectron();
  apply.mockClear();
  dir = await mkdtemp(join(tmpdir(), 'task-status-settings-api-'));
  fakeState.userDataDir = dir;
  await writeFile(file(), JSON.stringify({ connections: [{ id: 'local', kind: 'redis', url: `redis://127.0.0.1:${redis.port}/0`, passwordEncrypted: sealed(secret) }] }));
  return () => rm(dir, { recursive: true, force: true });
});

describe('tray Settings calls', () => {
  it('testConnection reads the broker with the saved sealed password when none is typed', async () => {
    const result = await handlers().testConnection({ connection: { id: 'local', kind: 'redis', url: `redis://127.0.0.1:${redis.port}/0` } });
    expect(result).toEqual({ ok: true, detail: `read redis://127.0.0.1:${redis.port}/0: rq: 1 queue`, frameworks: ['rq'], queueCount: 1 });
    expect(fake.safeStorage.decryptStringAsync).toHaveBeenCalledTimes(1);
  });

  it('testConnection says why not: a wrong typed password, a port nobody listens on', async () => {
    const wrong = await handlers().testConnection({ connection: { id: 'local', kind: 'redis', url: `redis://127.0.0.1:${redis.port}/0`, password: 'nope' } });
    expect(wrong).toMatchObject({ ok: false, frameworks: [], queueCount: null });
    expect(wrong.detail).toContain('refused the username or password');
    const port = await freePort();
    const down = await handlers().testConnection({ connection: { kind: 'redis', url: `redis://127.0.0.1:${port}` } });
    expect(down.ok).toBe(false);
    expect(down.detail).toContain(`127.0.0.1:${port}`);
  });

  it('saveSettings seals, applies and answers without any password', async () => {
    const saved = await handlers().saveSettings({ connections: [{ id: 'local', kind: 'redis', url: `redis://127.0.0.1:${redis.port}/0` }, { id: 'b', kind: 'redis', url: 'redis://b.example', password: 'other-pw' }], readOnly: false });
    expect(apply).toHaveBeenCalledTimes(1);
    expect(saved.applied).toBe(true);
    expect(saved.warnings).toEqual([]);
    expect(saved.settings.readOnly).toBe(false);
    expect(saved.settings.connections.map((c) => c.password)).toEqual(['keychain', 'keychain']);
    const everything = JSON.stringify(saved) + (await readFile(file(), 'utf8'));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('other-pw');
    expect(JSON.stringify(await handlers().getSettings({}))).not.toContain(sealed(secret));
  });
});
