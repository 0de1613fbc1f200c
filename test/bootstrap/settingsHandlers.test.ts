import { describe, expect, it } from 'vitest';
import { createReadOnlySettingsHandlers } from '../../src-main/bootstrap/settingsHandlers.js';
import { resolveConnections } from '../../src-main/core/config/resolveConnections.js';

describe('settings in the web face and the CLI', () => {
  const config = resolveConnections({
    redisUrls: [], env: { PW: 'env-secret' }, trayConfig: null,
    configFile: { path: '/etc/task-status.yaml', config: { readOnly: false, connections: [
      { id: 'a', kind: 'redis', url: 'redis://:url-secret@a.example/1', frameworks: { celery: { resultBackend: 'redis://:rb-secret@b.example/2' } } },
      { id: 'b', kind: 'redis', url: 'redis://b.example', passwordEnv: 'PW' },
    ] } },
  });
  const handlers = createReadOnlySettingsHandlers(config);

  it('shows the config it runs with, never a password', async () => {
    const view = await handlers.getSettings({});
    expect(JSON.stringify(view)).not.toMatch(/secret/);
    expect(view).toMatchObject({ editable: false, source: '/etc/task-status.yaml', readOnly: false, keychain: null, pollInterval: '5s' });
    expect(view.connections.map((c) => [c.id, c.url, c.password])).toEqual([['a', 'redis://:***@a.example/1', 'set'], ['b', 'redis://b.example', 'set']]);
    expect(view.connections[0]!.frameworks.celery!.resultBackend).toBe('redis://b.example/2');
  });

  it('refuses to save settings or to connect to an address a page sends', async () => {
    await expect(handlers.saveSettings({ readOnly: true })).rejects.toMatchObject({ code: 'PERMISSION_DENIED', detail: 'settings are changed in the tray app, or in /etc/task-status.yaml' });
    await expect(handlers.testConnection({ connection: { kind: 'redis', url: 'redis://10.0.0.1' } })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
