import type { AppConfig, ConnectionConfig, FrameworkConfig } from './config.js';
import type { Framework } from './figures.js';
import type { AlertFigure, ComparisonOp, Level } from './alerts.js';

/**
 * The Settings view's shapes (issue 5 items 2 and 3). Passwords never cross this contract
 * towards the renderer: a connection says only where its password lives. The tray app can edit
 * its own config.json (passwords sealed with the OS keychain); the web face and the CLI only show
 * the config they run with.
 */

/** Where a connection's password is kept. */
/** `set`: a password is given (URL, config or environment), where exactly is not known to this face. */
export type PasswordSource = 'keychain' | 'environment' | 'config file' | 'url' | 'set' | 'none';

export interface SavedConnectionView {
  id: string | null;
  kind: 'redis' | 'rabbitmq';
  /** The URL with any password removed. */
  url: string;
  password: PasswordSource;
  /** The environment variable named by `passwordEnv`, when that is the source. */
  passwordEnv: string | null;
  frameworks: Partial<Record<Framework, FrameworkConfig>>;
  tls: { caFile?: string; insecure?: boolean } | null;
}

export interface KeychainStatus {
  /** Passwords can be sealed (a keychain, not safeStorage's basic_text fallback). */
  canSeal: boolean;
  /** Why not, for the user: install or unlock a keyring, or use `passwordEnv`. */
  warning: string | null;
}

export interface SettingsView {
  /** `true` in the tray app (it writes its own config.json); `false` in the web face and CLI. */
  editable: boolean;
  /** Where the settings come from: a file path, `--redis`, an environment variable. */
  source: string;
  connections: SavedConnectionView[];
  pollInterval: string | null;
  /** Write actions (retry, delete, purge) are off unless this is `false`. */
  readOnly: boolean;
  /** The config's `history` section (retention), as written; `null` when absent. */
  retention: Record<string, unknown> | null;
  /** The config's `notifications` section, as written; `null` when absent. */
  notifications: Record<string, unknown> | null;
  /** The config's alert `rules`, as written (shown read-only); `null` when absent. */
  rules: unknown[] | null;
  /** `null` outside the tray app (only it has a keychain). */
  keychain: KeychainStatus | null;
  /** The rules in force (defaults as edited), for the tray app's rule editor; absent elsewhere. */
  ruleSettings?: RuleSetting[];
  /** Native notifications on (the tray app; config `notifications.enabled`, default on). */
  notificationsEnabled?: boolean;
  /** Problems with the saved settings (a password that could not be opened or sealed). */
  warnings: string[];
}

/** A connection as the Settings form sends it: `password` is a new one; absent keeps the saved one. */
export interface ConnectionEdit {
  id?: string;
  kind: 'redis' | 'rabbitmq';
  url: string;
  /** A new password (sealed at once, never stored in clear); absent or empty keeps the saved one. */
  password?: string;
  /** Forget the saved password. */
  clearPassword?: boolean;
  passwordEnv?: string;
  frameworks?: Partial<Record<Framework, FrameworkConfig>>;
  tls?: { caFile?: string; insecure?: boolean };
}

/** One rule in force as the Settings view edits it. */
export interface RuleSetting {
  id: string;
  name: string;
  level: Level;
  enabled: boolean;
  figure: AlertFigure;
  op: ComparisonOp;
  /** The threshold as written in the config (`"5m"`, `"5%"`) or as the default has it. */
  value: number | string;
  /** The `for` duration as written (`"1m"`), or the default's (`"0s"`). */
  for: string;
}

/** A rule's editable fields; the ones given are written into the config's `rules:` entry of that id. */
export interface RuleEdit {
  id: string;
  enabled?: boolean;
  level?: Level;
  /** The threshold (`condition.value`): a number, or a duration/percentage for `…Ms`/`…Ratio` figures. */
  value?: number | string;
  for?: string;
}

export interface SettingsEdit {
  /** The whole list, in order; a connection is matched to the saved one by its former `id` or URL. */
  connections?: ConnectionEdit[];
  readOnly?: boolean;
  pollInterval?: string;
  /** Rule edits, merged into the config's `rules:` by id. */
  rules?: RuleEdit[];
  /** History retention (config `history:`): a span like `24h`, `30d`, `1y`; `null` sets the default back. */
  retention?: { raw?: string | null; minute?: string | null; hour?: string | null };
  notifications?: { enabled: boolean };
}

/** A value of the form refused: `field` names it (`rules.backlog.value`, `retention.raw`). */
export interface SettingsFieldError {
  field: string;
  message: string;
}

export interface SettingsSaved {
  settings: SettingsView;
  /** Problems met while saving (a password not saved because it could not be sealed). */
  warnings: string[];
  /** Whether the monitor now runs with the new settings (else after a restart). */
  applied: boolean;
  /** Values refused (nothing was saved when any is given). */
  errors?: SettingsFieldError[];
}

export interface ConnectionTest {
  /** The connection could be read. */
  ok: boolean;
  /** What was found, or why not, in plain words. */
  detail: string;
  frameworks: Framework[];
  queueCount: number | null;
}

/** Where a connection's password lives, judged from the config entry alone. */
export function passwordSourceOf(connection: ConnectionConfig): PasswordSource {
  if (connection.passwordEncrypted) return 'keychain';
  if (connection.passwordEnv) return 'environment';
  if (connection.password) return 'config file';
  try {
    if (new URL(connection.url).password) return 'url';
  } catch {
    // not a URL the WHATWG parser reads (Kombu's sentinel://a;sentinel://b): no password seen
  }
  return 'none';
}

/** The URL without its password (`redis://user@host/0`). */
export function urlWithoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

/** Framework settings with any result-backend password removed. */
export function redactFrameworks(frameworks: Partial<Record<Framework, FrameworkConfig>> | undefined): Partial<Record<Framework, FrameworkConfig>> {
  return Object.fromEntries(Object.entries(frameworks ?? {}).map(([name, fw]) => [name,
    fw.resultBackend ? { ...fw, resultBackend: urlWithoutPassword(fw.resultBackend) } : fw]));
}

/** A saved connection as the renderer may see it: no password, only where it is kept. */
export function savedConnectionView(connection: ConnectionConfig): SavedConnectionView {
  return {
    id: connection.id ?? null,
    kind: connection.kind,
    url: urlWithoutPassword(connection.url),
    password: passwordSourceOf(connection),
    passwordEnv: connection.passwordEnv ?? null,
    frameworks: redactFrameworks(connection.frameworks),
    tls: connection.tls ?? null,
  };
}

/** The settings a config document holds, without a secret. */
export function settingsViewOf(config: AppConfig, options: { editable: boolean; source: string; keychain: KeychainStatus | null; warnings?: string[] }): SettingsView {
  const doc = config as AppConfig & { history?: unknown; notifications?: unknown; rules?: unknown };
  const record = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  return {
    editable: options.editable,
    source: options.source,
    connections: config.connections.map(savedConnectionView),
    pollInterval: config.pollInterval ?? null,
    readOnly: config.readOnly !== false,
    retention: record(doc.history),
    notifications: record(doc.notifications),
    rules: Array.isArray(doc.rules) ? doc.rules : null,
    keychain: options.keychain,
    warnings: options.warnings ?? [],
  };
}
