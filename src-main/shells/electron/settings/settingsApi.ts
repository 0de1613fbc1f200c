import type { ApiMethods } from '../../../contract/api.js';
import type { ConnectionConfig } from '../../../contract/config.js';
import { isApiError } from '../../../contract/errors.js';
import type { ConnectionEdit, ConnectionTest } from '../../../contract/settings.js';
import { createApp } from '../../../bootstrap/createApp.js';
import { parseAppConfig } from '../../../core/config/configSchema.js';
import type { PasswordSealer } from './passwordSealer.js';
import { readSettingsView, saveSettings, type ConfigDocumentStore } from './savedConnections.js';
import { splitUrlPassword } from './urlPassword.js';

export interface SettingsDeps {
  store: ConfigDocumentStore;
  sealer: PasswordSealer;
  env: Readonly<Record<string, string | undefined>>;
  /** Restarts the monitor with the saved settings; resolves `true` once it runs with them. */
  apply(): Promise<boolean>;
  /** Warnings met when the settings were loaded (a password that could not be opened). */
  loadWarnings(): string[];
}

/**
 * The tray app's Settings calls over its own config.json. Passwords go one way only: in
 * (sealed with the OS keychain at once), never out; a connection test opens a saved sealed
 * password in memory for the one read it makes.
 */
export function createSettingsHandlers(deps: SettingsDeps): Pick<ApiMethods, 'getSettings' | 'saveSettings' | 'testConnection'> {
  return {
    getSettings: async () => readSettingsView(deps.store, deps.sealer, deps.loadWarnings()),
    async saveSettings(edit) {
      const { warnings, errors } = await saveSettings(deps.store, deps.sealer, edit);
      if (errors.length) return { settings: await readSettingsView(deps.store, deps.sealer, deps.loadWarnings()), warnings, applied: false, errors };
      const applied = await deps.apply().catch(() => false);
      return { settings: await readSettingsView(deps.store, deps.sealer, deps.loadWarnings()), warnings, applied };
    },
    testConnection: async ({ connection }) => testConnection(connection, deps),
  };
}

/** One poll with these settings (a sealed password of the saved connection when none is typed). */
export async function testConnection(edit: ConnectionEdit, deps: Pick<SettingsDeps, 'store' | 'sealer' | 'env'>): Promise<ConnectionTest> {
  const { password, clearPassword, ...fields } = edit;
  const config: ConnectionConfig = { ...fields } as ConnectionConfig;
  if (password) config.password = password;
  else if (!clearPassword && !splitUrlPassword(edit.url).password) {
    const saved = parseAppConfig(deps.store.read(), deps.store.path).connections
      .find((c) => (edit.id !== undefined && c.id === edit.id) || splitUrlPassword(c.url).url === edit.url);
    if (saved?.passwordEncrypted) config.password = (await deps.sealer.open(saved.passwordEncrypted)).password;
    else if (saved?.password) config.password = saved.password;
  }
  let app: ReturnType<typeof createApp> | null = null;
  try {
    app = createApp({ config: { connections: [config] }, env: deps.env, session: { sampleIntervalMs: 3_600_000 } });
    const view = (await app.monitor.pollAll()).connections[0];
    if (!view) return { ok: false, detail: 'the connection was not read', frameworks: [], queueCount: null };
    if (view.status === 'unreachable' || view.status === 'unauthorized') {
      return { ok: false, detail: view.statusReason?.detail ?? view.status, frameworks: [], queueCount: null };
    }
    const found = view.frameworks.length ? `${view.frameworks.join(', ')}: ${view.queues.length} queue${view.queues.length === 1 ? '' : 's'}` : 'no task framework found yet';
    const degraded = view.status === 'degraded' && view.statusReason ? `; some figures unreadable: ${view.statusReason.detail}` : '';
    return { ok: true, detail: `read ${view.url}: ${found}${degraded}`, frameworks: view.frameworks, queueCount: view.queues.length };
  } catch (error) {
    return { ok: false, detail: isApiError(error) ? error.detail : error instanceof Error ? error.message : String(error), frameworks: [], queueCount: null };
  } finally {
    await app?.close();
  }
}
