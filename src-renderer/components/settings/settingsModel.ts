import type { Level } from '../../../src-main/contract/alerts.js';
import type { ConnectionEdit, PasswordSource, RuleEdit, RuleSetting, SavedConnectionView, SettingsEdit, SettingsFieldError, SettingsView } from '../../../src-main/contract/settings.js';

/** Plain decisions of the Settings view, tested without a DOM. */

export const passwordWords: Record<PasswordSource, string> = {
  keychain: 'sealed in the OS keychain',
  environment: 'from an environment variable',
  'config file': 'in clear in the config file',
  url: 'in the URL',
  set: 'given',
  none: 'none',
};

/** The form's fields for one connection; the password field always starts empty (it is never sent here). */
export interface ConnectionForm {
  id: string;
  kind: 'redis' | 'rabbitmq';
  url: string;
  password: string;
  passwordEnv: string;
  clearPassword: boolean;
  /** The saved connection's password source, to say what an empty field keeps. */
  saved: PasswordSource | null;
}

export function formOf(connection: SavedConnectionView | null): ConnectionForm {
  return {
    id: connection?.id ?? '', kind: connection?.kind ?? 'redis', url: connection?.url ?? 'redis://127.0.0.1:6379/0',
    password: '', passwordEnv: connection?.passwordEnv ?? '', clearPassword: false, saved: connection?.password ?? null,
  };
}

/** What the form sends: only what the person typed; an empty password keeps the saved one. */
export function editOf(form: ConnectionForm, before: SavedConnectionView | null): ConnectionEdit {
  return {
    ...(form.id.trim() ? { id: form.id.trim() } : {}),
    kind: form.kind,
    url: form.url.trim(),
    ...(form.password ? { password: form.password } : {}),
    ...(form.clearPassword ? { clearPassword: true } : {}),
    ...(form.passwordEnv.trim() ? { passwordEnv: form.passwordEnv.trim() } : {}),
    ...(before && Object.keys(before.frameworks).length ? { frameworks: before.frameworks } : {}),
    ...(before?.tls ? { tls: before.tls } : {}),
  };
}

/** The saved list as edits that keep everything (passwords stay where they are). */
export function editsOf(view: SettingsView): ConnectionEdit[] {
  return view.connections.map((c) => editOf(formOf(c), c));
}

/** The list with one connection replaced (`index` null: added at the end) or removed (`edit` null). */
export function withConnection(view: SettingsView, index: number | null, edit: ConnectionEdit | null): ConnectionEdit[] {
  const edits = editsOf(view);
  if (index === null) return edit ? [...edits, edit] : edits;
  return edit ? edits.map((e, i) => (i === index ? edit : e)) : edits.filter((_, i) => i !== index);
}

/** A URL the form can send: a scheme the product reads. */
export function urlProblem(url: string, kind: 'redis' | 'rabbitmq'): string | null {
  const schemes = kind === 'redis' ? /^(rediss?|rediss?\+sentinel|sentinel|rediss?\+cluster):\/\//i : /^amqps?:\/\//i;
  return schemes.test(url.trim()) ? null : kind === 'redis' ? 'a Redis URL starts with redis:// or rediss://' : 'a RabbitMQ URL starts with amqp:// or amqps://';
}

/** A config section shown as lines `key: value` (durations, switches), or `null` when absent. */
export function sectionLines(section: Record<string, unknown> | null): string[] | null {
  if (section === null) return null;
  return Object.entries(section).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

/** One rule's fields in the Settings form (text as typed). */
export interface RuleForm {
  enabled: boolean;
  level: Level;
  value: string;
  for: string;
}

export function ruleFormOf(rule: RuleSetting): RuleForm {
  return { enabled: rule.enabled, level: rule.level, value: String(rule.value), for: rule.for };
}

/** A threshold as typed: a number when it reads as one, else the text (`5m`, `5%`) for the config's schema to judge. */
export function thresholdOf(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** The edits the rule forms make: only the rules and fields changed from what is saved. */
export function ruleEditsOf(rules: readonly RuleSetting[], forms: Readonly<Record<string, RuleForm>>): RuleEdit[] {
  const edits: RuleEdit[] = [];
  for (const rule of rules) {
    const form = forms[rule.id];
    if (!form) continue;
    const edit: RuleEdit = { id: rule.id };
    if (form.enabled !== rule.enabled) edit.enabled = form.enabled;
    if (form.level !== rule.level) edit.level = form.level;
    if (form.value.trim() !== String(rule.value)) edit.value = thresholdOf(form.value);
    if (form.for.trim() !== rule.for) edit.for = form.for.trim();
    if (Object.keys(edit).length > 1) edits.push(edit);
  }
  return edits;
}

/** The retention fields changed from what the config says (an emptied field goes back to the default). */
export function retentionEditOf(saved: Record<string, unknown> | null, form: Readonly<Record<'raw' | 'minute' | 'hour', string>>): NonNullable<SettingsEdit['retention']> {
  const edit: NonNullable<SettingsEdit['retention']> = {};
  for (const key of ['raw', 'minute', 'hour'] as const) {
    const before = typeof saved?.[key] === 'string' ? (saved[key] as string) : '';
    const now = form[key].trim();
    if (now !== before) edit[key] = now === '' ? null : now;
  }
  return edit;
}

/** Field errors by field name, for the message beside each field. */
export function fieldErrorsOf(errors: readonly SettingsFieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors ?? []) out[e.field] = out[e.field] ? `${out[e.field]}; ${e.message}` : e.message;
  return out;
}
