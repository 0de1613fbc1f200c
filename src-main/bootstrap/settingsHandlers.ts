import type { ApiMethods } from '../contract/api.js';
import type { ApiError } from '../contract/errors.js';
import type { ResolvedConfig } from '../core/config/resolveConnections.js';
import { redactFrameworks } from '../contract/settings.js';

export type SettingsMethodName = 'getSettings' | 'saveSettings' | 'testConnection';

/**
 * Settings as the web face and the CLI see them: the config they run with, without a secret,
 * and not editable (the tray app replaces these with its own, over its config.json). Testing a
 * connection is refused here: a web face must not connect to addresses a page sends it.
 */
export function createReadOnlySettingsHandlers(config: ResolvedConfig): Pick<ApiMethods, SettingsMethodName> {
  const refuse = (detail: string): never => {
    throw { code: 'PERMISSION_DENIED', detail } satisfies ApiError;
  };
  return {
    async getSettings() {
      return {
        editable: false,
        source: config.source,
        connections: config.connections.map((c) => ({
          id: c.id, kind: c.kind, url: c.url,
          password: c.target.password ? 'set' : 'none',
          passwordEnv: null,
          frameworks: c.kind === 'redis' ? redactFrameworks(c.frameworks) : {},
          tls: c.tls ?? null,
        })),
        pollInterval: `${config.pollIntervalMs / 1000}s`,
        readOnly: config.readOnly !== false,
        retention: null,
        notifications: null,
        rules: null,
        keychain: null,
        warnings: [],
      };
    },
    async saveSettings() {
      return refuse(`settings are changed in the tray app, or in ${config.source}`);
    },
    async testConnection() {
      return refuse('connections are tested in the tray app: the web face does not connect to addresses a page sends it');
    },
  };
}
