import type { AppConfig, ConnectionConfig } from '../../../contract/config.js';
import { settingsViewOf, type KeychainStatus, type SettingsEdit, type SettingsFieldError, type SettingsView } from '../../../contract/settings.js';
import { parseAppConfig } from '../../../core/config/configSchema.js';
import type { PasswordSealer } from './passwordSealer.js';
import { mergeSettingsEdit, notificationsEnabledIn, ruleSettingsOf } from './settingsMerge.js';
import { splitUrlPassword } from './urlPassword.js';

/** The tray app's config file as a whole document (electron-store in the app, a Map in tests). */
export interface ConfigDocumentStore {
  readonly path: string;
  read(): unknown;
  write(document: Record<string, unknown>): void;
}

export interface LoadedSettings {
  /** For the monitor only: sealed passwords opened into `password`. Never written anywhere. */
  config: AppConfig;
  /** Problems the user should hear about (a password that could not be sealed or opened). */
  warnings: string[];
}

/**
 * Reads the saved connections. A password found in clear (typed into the file by hand, or in
 * a URL) is sealed and the file rewritten; a sealed one is opened for the monitor, and sealed
 * again when the keychain asks. A password that cannot be opened is dropped with a warning, so
 * the connection shows as unauthorized rather than stopping the app.
 */
export async function loadSettings(store: ConfigDocumentStore, sealer: PasswordSealer): Promise<LoadedSettings> {
  const document = parseAppConfig(store.read(), store.path);
  const warnings: string[] = [];
  const whyNot = await sealer.whyNotSealable();
  let changed = false;
  const saved: ConnectionConfig[] = [];
  const live: ConnectionConfig[] = [];
  for (const connection of document.connections) {
    const { url, clear, passwordEncrypted, rest } = secretsOf(connection);
    const name = connection.id ?? url;
    if (clear !== null) {
      live.push({ ...rest, url, password: clear });
      if (whyNot === null) {
        saved.push({ ...rest, url, passwordEncrypted: await sealer.seal(clear) });
        changed = true;
      } else {
        saved.push(connection);
        warnings.push(`connection "${name}": its password is kept in clear in ${store.path} and cannot be sealed: ${whyNot}`);
      }
    } else if (passwordEncrypted !== undefined) {
      try {
        const opened = await sealer.open(passwordEncrypted);
        live.push({ ...rest, password: opened.password });
        if (opened.shouldReseal) {
          saved.push({ ...rest, passwordEncrypted: await sealer.seal(opened.password) });
          changed = true;
        } else saved.push(connection);
      } catch (error) {
        live.push(rest);
        saved.push(connection);
        warnings.push(`connection "${name}": its saved password could not be decrypted (${error instanceof Error ? error.message : String(error)}); it is tried without one`);
      }
    } else {
      live.push(connection);
      saved.push(connection);
    }
  }
  if (changed) store.write({ ...document, connections: saved });
  return { config: { ...document, connections: live }, warnings };
}

/**
 * Saves the connections, sealing every password (given apart or inside the URL). When the
 * keychain cannot seal safely the password is not saved at all, and the reason is returned.
 */
export async function saveConnections(store: ConfigDocumentStore, sealer: PasswordSealer, connections: ConnectionConfig[]): Promise<{ warnings: string[] }> {
  const document = parseAppConfig(store.read(), store.path);
  const whyNot = await sealer.whyNotSealable();
  const warnings: string[] = [];
  const saved: ConnectionConfig[] = [];
  for (const connection of connections) {
    const { url, clear, passwordEncrypted, rest } = secretsOf(connection);
    if (clear === null) saved.push({ ...rest, url, ...(passwordEncrypted === undefined ? {} : { passwordEncrypted }) });
    else if (whyNot === null) saved.push({ ...rest, url, passwordEncrypted: await sealer.seal(clear) });
    else {
      saved.push({ ...rest, url });
      warnings.push(`connection "${connection.id ?? url}": password not saved: ${whyNot}; set "passwordEnv" to read it from an environment variable`);
    }
  }
  const next = { ...document, connections: saved };
  parseAppConfig(next, store.path);
  store.write(next);
  return { warnings };
}

/** A connection taken apart: its URL without a password, the clear password if any, the rest. */
function secretsOf(connection: ConnectionConfig) {
  const { password, passwordEncrypted, ...rest } = connection;
  const split = splitUrlPassword(connection.url);
  return { url: split.url, clear: password ?? split.password, passwordEncrypted, rest };
}

/** Whether passwords can be sealed here, and the warning to show when not (no keyring on Linux). */
export async function keychainStatus(sealer: PasswordSealer): Promise<KeychainStatus> {
  const why = await sealer.whyNotSealable();
  return { canSeal: why === null, warning: why === null ? null : `passwords cannot be kept safely: ${why}; use "passwordEnv" instead` };
}

/** The saved settings as the renderer may see them: where each password lives, never the password. */
export async function readSettingsView(store: ConfigDocumentStore, sealer: PasswordSealer, warnings: string[] = []): Promise<SettingsView> {
  const document = parseAppConfig(store.read(), store.path);
  const view = settingsViewOf(document, { editable: true, source: store.path, keychain: await keychainStatus(sealer), warnings });
  let ruleSettings: SettingsView['ruleSettings'];
  try {
    ruleSettings = ruleSettingsOf(document, store.path);
  } catch (error) {
    view.warnings = [...view.warnings, `the alert rules cannot be edited here until the config file is fixed: ${error instanceof Error ? error.message : String(error)}`];
  }
  return { ...view, ...(ruleSettings ? { ruleSettings } : {}), notificationsEnabled: notificationsEnabledIn(document) };
}

/**
 * Applies the Settings form: connections matched to the saved ones by their former id or URL,
 * keeping a sealed password unless a new one is given or `clearPassword` is set, and keeping
 * fields the form does not show (Sentinel, Cluster, database); a new password is sealed (or not
 * saved, with the reason); read-only and the poll interval set when given.
 */
export async function saveSettings(store: ConfigDocumentStore, sealer: PasswordSealer, edit: SettingsEdit): Promise<{ warnings: string[]; errors: SettingsFieldError[] }> {
  const document = parseAppConfig(store.read(), store.path);
  // Rules, retention and notifications are checked first: a refused value saves nothing at all.
  let merged: Record<string, unknown> | null = null;
  if (edit.rules || edit.retention || edit.notifications) {
    const result = mergeSettingsEdit(document as AppConfig & Record<string, unknown>, edit, store.path);
    if (result.document === null) return { warnings: [], errors: result.errors };
    merged = result.document;
  }
  let warnings: string[] = [];
  if (edit.connections) {
    const saved = document.connections;
    const connections = edit.connections.map((e): ConnectionConfig => {
      const bare = splitUrlPassword(e.url).url;
      const before = saved.find((c) => (e.id !== undefined && c.id === e.id) || splitUrlPassword(c.url).url === bare);
      const { password: _p, clearPassword, ...fields } = e;
      const keep = before && !clearPassword && !e.password && !splitUrlPassword(e.url).password ? { passwordEncrypted: before.passwordEncrypted, password: before.password } : {};
      const merged = { ...(before ?? {}), ...fields, ...keep, ...(e.password ? { password: e.password } : {}) } as ConnectionConfig;
      if (clearPassword || e.password) delete merged.passwordEncrypted;
      if (clearPassword) delete merged.password;
      if (!e.passwordEnv) delete merged.passwordEnv;
      return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as unknown as ConnectionConfig;
    });
    warnings = (await saveConnections(store, sealer, connections)).warnings;
  }
  if (edit.readOnly !== undefined || edit.pollInterval !== undefined) {
    const current = parseAppConfig(store.read(), store.path) as AppConfig & Record<string, unknown>;
    const next = { ...current, ...(edit.readOnly !== undefined ? { readOnly: edit.readOnly } : {}), ...(edit.pollInterval !== undefined ? { pollInterval: edit.pollInterval } : {}) };
    parseAppConfig(next, store.path);
    store.write(next);
  }
  if (merged) {
    const current = parseAppConfig(store.read(), store.path) as AppConfig & Record<string, unknown>;
    const next = { ...current, ...(edit.rules ? { rules: merged.rules } : {}), ...(edit.retention ? { history: merged.history } : {}), ...(edit.notifications ? { notifications: merged.notifications } : {}) };
    parseAppConfig(next, store.path);
    store.write(next);
  }
  return { warnings, errors: [] };
}
