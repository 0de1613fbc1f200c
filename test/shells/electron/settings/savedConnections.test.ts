import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfigStore } from '../../../../src-main/shells/electron/settings/configStore.js';
import { createSafeStorageSealer } from '../../../../src-main/shells/electron/settings/passwordSealer.js';
import { loadSettings, saveConnections } from '../../../../src-main/shells/electron/settings/savedConnections.js';
import { fake, fakeCipher, fakeState, resetFakeElectron } from '../fakeElectron.js';

vi.mock('electron', async () => (await import('../fakeElectron.js')).fakeElectronModule());

const secret = 's3cr3t-p@ss';
let dir: string;
const file = () => join(dir, 'config.json');
const onDisk = async () => JSON.parse(await readFile(file(), 'utf8')) as Record<string, unknown>;
const sealer = (platform: NodeJS.Platform = 'linux') => createSafeStorageSealer(fake.safeStorage as never, platform);
const sealed = (text: string) => fakeCipher.seal(text).toString('base64');

beforeEach(async () => {
  resetFakeElectron();
  dir = await mkdtemp(join(tmpdir(), 'task-status-settings-'));
  fakeState.userDataDir = dir;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('saveConnections', () => {
  it('writes config.json in userData, sealing passwords given apart or in the URL', async () => {
    const store = openConfigStore();
    expect(store.path).toBe(file());
    const result = await saveConnections(store, sealer(), [
      { id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/0', password: secret },
      { id: 'cache', kind: 'redis', url: `redis://:${encodeURIComponent(secret)}@cache.example/1` },
      { id: 'env', kind: 'redis', url: 'redis://env.example', passwordEnv: 'ENV_REDIS_PASSWORD' },
    ]);
    expect(result).toEqual({ warnings: [] });
    const text = await readFile(file(), 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect((await onDisk()).connections).toEqual([
      { id: 'prod', kind: 'redis', url: 'redis://app@prod.example:6380/0', passwordEncrypted: sealed(secret) },
      { id: 'cache', kind: 'redis', url: 'redis://cache.example/1', passwordEncrypted: sealed(secret) },
      { id: 'env', kind: 'redis', url: 'redis://env.example', passwordEnv: 'ENV_REDIS_PASSWORD' },
    ]);
    expect(fake.safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect(fake.safeStorage.encryptString).not.toHaveBeenCalled();
  });

  it.each([
    ['Linux without a keyring (basic_text)', () => { fakeState.storageBackend = 'basic_text'; }, 'no keyring was found'],
    ['no keychain at all', () => { fakeState.isAsyncEncryptionAvailable = false; }, 'the OS keychain is not available'],
  ])('%s: does not save the password, and says why', async (_name, arrange, reason) => {
    arrange();
    const { warnings } = await saveConnections(openConfigStore(), sealer(), [
      { id: 'prod', kind: 'redis', url: `redis://:${secret}@prod.example` },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('connection "prod": password not saved: ');
    expect(warnings[0]).toContain(reason);
    expect(await readFile(file(), 'utf8')).not.toContain(secret);
    expect((await onDisk()).connections).toEqual([{ id: 'prod', kind: 'redis', url: 'redis://prod.example' }]);
  });

  it('asks for the Linux backend on Linux only', async () => {
    fakeState.storageBackend = 'basic_text';
    expect(await sealer('darwin').whyNotSealable()).toBeNull();
    expect(fake.safeStorage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('keeps other top-level settings of the file', async () => {
    await writeFile(file(), JSON.stringify({ connections: [], pollInterval: '10s', window: { width: 900 } }));
    await saveConnections(openConfigStore(), sealer(), [{ kind: 'redis', url: 'redis://a' }]);
    expect(await onDisk()).toEqual({ connections: [{ kind: 'redis', url: 'redis://a' }], pollInterval: '10s', window: { width: 900 } });
  });
});

describe('loadSettings', () => {
  it('opens sealed passwords for the monitor only', async () => {
    await writeFile(file(), JSON.stringify({ connections: [{ id: 'prod', kind: 'redis', url: 'redis://prod.example', passwordEncrypted: sealed(secret) }] }));
    const before = await readFile(file(), 'utf8');
    const loaded = await loadSettings(openConfigStore(), sealer());
    expect(loaded).toEqual({ config: { connections: [{ id: 'prod', kind: 'redis', url: 'redis://prod.example', password: secret }] }, warnings: [] });
    expect(await readFile(file(), 'utf8')).toBe(before);
  });

  it('seals a clear password found in the file (by hand, or in a URL) and rewrites it', async () => {
    await writeFile(file(), JSON.stringify({ pollInterval: '5s', connections: [
      { id: 'a', kind: 'redis', url: 'redis://a.example', password: secret },
      { id: 'b', kind: 'redis', url: `redis://user:${secret}@b.example/2` },
    ] }));
    const loaded = await loadSettings(openConfigStore(), sealer());
    expect(loaded.config.connections.map((c) => [c.url, c.password])).toEqual([['redis://a.example', secret], ['redis://user@b.example/2', secret]]);
    expect(await readFile(file(), 'utf8')).not.toContain(secret);
    expect(await onDisk()).toEqual({ pollInterval: '5s', connections: [
      { id: 'a', kind: 'redis', url: 'redis://a.example', passwordEncrypted: sealed(secret) },
      { id: 'b', kind: 'redis', url: 'redis://user@b.example/2', passwordEncrypted: sealed(secret) },
    ] });
  });

  it('re-seals when the keychain asks', async () => {
    await writeFile(file(), JSON.stringify({ connections: [{ id: 'a', kind: 'redis', url: 'redis://a', passwordEncrypted: sealed(secret) }] }));
    fakeState.shouldReEncrypt = true;
    await loadSettings(openConfigStore(), sealer());
    expect(fake.safeStorage.encryptStringAsync.mock.calls).toEqual([[secret]]);
    expect(await readFile(file(), 'utf8')).not.toContain(secret);
  });

  it('leaves a clear password it cannot seal where it is, with a warning', async () => {
    fakeState.storageBackend = 'basic_text';
    await writeFile(file(), JSON.stringify({ connections: [{ id: 'a', kind: 'redis', url: 'redis://a', password: secret }] }));
    const loaded = await loadSettings(openConfigStore(), sealer());
    expect(loaded.warnings).toEqual([expect.stringMatching(/^connection "a": its password is kept in clear in .*config\.json and cannot be sealed: no keyring was found/)]);
    expect(loaded.config.connections[0]!.password).toBe(secret);
  });

  it('drops a password it cannot open, with a warning', async () => {
    fake.safeStorage.decryptStringAsync.mockRejectedValueOnce(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'));
    await writeFile(file(), JSON.stringify({ connections: [{ id: 'a', kind: 'redis', url: 'redis://a', passwordEncrypted: 'AAAA' }] }));
    const loaded = await loadSettings(openConfigStore(), sealer());
    expect(loaded.config.connections).toEqual([{ id: 'a', kind: 'redis', url: 'redis://a' }]);
    expect(loaded.warnings).toEqual(['connection "a": its saved password could not be decrypted (Error while decrypting the ciphertext provided to safeStorage.decryptString.); it is tried without one']);
  });

  it('starts with no connections when there is no file, and refuses a file that breaks the schema', async () => {
    expect((await loadSettings(openConfigStore(), sealer())).config.connections).toEqual([]);
    await writeFile(file(), JSON.stringify({ connections: [{ kind: 'redis' }] }));
    await expect(loadSettings(openConfigStore(), sealer())).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });
});
