import Store from 'electron-store';
import type { ConfigDocumentStore } from './savedConnections.js';

/**
 * The tray app's config file through electron-store: `config.json` in Electron's userData
 * folder (README.md in this folder names it per OS; the CLI reads the same file). Written
 * atomically, readable by the user only. Throws when the file is not valid JSON, rather than
 * clearing the user's connections.
 */
export function openConfigStore(): ConfigDocumentStore {
  const store = new Store<Record<string, unknown>>({ name: 'config', clearInvalidConfig: false, configFileMode: 0o600 });
  return {
    path: store.path,
    read: () => store.store,
    write: (document) => {
      store.store = document;
    },
  };
}
