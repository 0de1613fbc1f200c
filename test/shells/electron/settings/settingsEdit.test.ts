import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfigStore } from '../../../../src-main/shells/electron/settings/configStore.js';
import { createSafeStorageSealer } from '../../../../src-main/shells/electron/settings/passwordSealer.js';
import { loadSettings, readSettingsView, saveSettings } from '../../../../src-main/shells/electron/settings/savedConnections.js';
import { fake, fakeCipher, fakeState, resetFakeElectron } from '../fakeElectron.js';

vi.mock('electron', async () => (await import('../fakeElectron.js')).fakeElectronModule());

/** The Settings form's edits on the tray app's config.json, with safeStorage faked. */
const secret = 'pa55-w0rd!';
let dir: string;
const file = () => join(dir, 'config.json');
const onDisk = async () => JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
const sealer = () => createSafeStorageSealer(fake.safeStorage as never, 'linux');
const sealed = (text: string) => fakeCipher.seal(text).toString('base64');

beforeEach(async () => {
  resetFakeElectron();
  dir = await mkdtemp(join(tmpdir(), 'task-status-settings-edit-'));
  fakeState.userDataDir = dir;
  await writeFile(file(), JSON.stringify({
    pollInterval: '5s',
    history: { raw: '24h' },
    rules: [{ id: 'backlog', level: 'warning' }],
    connections: [
      { id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/0', passwordEncrypted: sealed(secret), sentinels: ['s1:26379'], masterName: 'mymaster' },
      { id: 'env', kind: 'redis', url: 'redis://env.example', passwordEnv: 'ENV_PW', frameworks: { celery: { resultBackend: `redis://:${secret}@backend.example/1` } } },
    ],
  }));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('readSettingsView', () => {
  it('says where each password lives and never carries one', async () => {
    const view = await readSettingsView(openConfigStore(), sealer());
    expect(JSON.stringify(view)).not.toContain(secret);
    expect(JSON.stringify(view)).not.toContain(sealed(secret));
    expect(view.connections.map((c) => [c.id, c.url, c.password, c.passwordEnv])).toEqual([
      ['prod', 'redis://app@prod.example:6380/0', 'keychain', null],
      ['env', 'redis://env.example', 'environment', 'ENV_PW'],
    ]);
    expect(view.connections[1]!.frameworks.celery!.resultBackend).toBe('redis://backend.example/1');
    expect(view).toMatchObject({ editable: true, source: file(), pollInterval: '5s', readOnly: true, retention: { raw: '24h' }, rules: [{ id: 'backlog', level: 'warning' }], keychain: { canSeal: true, warning: null } });
  });

  it('warns when Linux has no keyring (safeStorage basic_text)', async () => {
    fakeState.storageBackend = 'basic_text';
    const view = await readSettingsView(openConfigStore(), sealer());
    expect(view.keychain).toEqual({ canSeal: false, warning: expect.stringMatching(/^passwords cannot be kept safely: no keyring was found .*; use "passwordEnv" instead$/) });
  });
});

describe('saveSettings', () => {
  it('keeps a sealed password and the fields the form does not show when the password is left empty', async () => {
    const { warnings } = await saveSettings(openConfigStore(), sealer(), { connections: [
      { id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/2' },
      { id: 'env', kind: 'redis', url: 'redis://env.example', passwordEnv: 'ENV_PW' },
    ] });
    expect(warnings).toEqual([]);
    const connections = (await onDisk()).connections as Record<string, unknown>[];
    expect(connections[0]).toEqual({ id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/2', passwordEncrypted: sealed(secret), sentinels: ['s1:26379'], masterName: 'mymaster' });
    expect(fake.safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect((await loadSettings(openConfigStore(), sealer())).config.connections[0]!.password).toBe(secret);
  });

  it('seals a new password, adds a connection, and can forget a password', async () => {
    await saveSettings(openConfigStore(), sealer(), { connections: [
      { id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/0', password: 'n3w' },
      { id: 'env', kind: 'redis', url: 'redis://env.example', clearPassword: true },
      { id: 'new', kind: 'redis', url: 'redis://:inurl@new.example/3' },
    ] });
    const text = await readFile(file(), 'utf8');
    expect(text).not.toContain('n3w');
    expect(text).not.toContain('inurl');
    expect(((await onDisk()).connections as Record<string, unknown>[]).map((c) => [c.id, c.url, c.passwordEncrypted ?? null, c.passwordEnv ?? null])).toEqual([
      ['prod', 'redis://app@prod.example:6380/0', sealed('n3w'), null],
      ['env', 'redis://env.example', null, null],
      ['new', 'redis://new.example/3', sealed('inurl'), null],
    ]);
  });

  it('does not save a password it cannot seal, and says why', async () => {
    fakeState.storageBackend = 'basic_text';
    const { warnings } = await saveSettings(openConfigStore(), sealer(), { connections: [{ id: 'x', kind: 'redis', url: 'redis://x.example', password: 'cleartext' }] });
    expect(warnings).toEqual([expect.stringContaining('connection "x": password not saved: no keyring was found')]);
    expect(await readFile(file(), 'utf8')).not.toContain('cleartext');
  });

  it('sets the read-only switch and the poll interval, keeping every other section', async () => {
    await saveSettings(openConfigStore(), sealer(), { readOnly: false, pollInterval: '10s' });
    expect(await onDisk()).toMatchObject({ readOnly: false, pollInterval: '10s', history: { raw: '24h' }, rules: [{ id: 'backlog', level: 'warning' }] });
    expect((await readSettingsView(openConfigStore(), sealer())).readOnly).toBe(false);
    await expect(saveSettings(openConfigStore(), sealer(), { pollInterval: 'soon' })).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });
});
