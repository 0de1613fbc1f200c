import type { AlertRule, AlertRuleConfig } from '../../../contract/alerts.js';
import type { RuleSetting, SettingsEdit, SettingsFieldError } from '../../../contract/settings.js';
import { alertsFromConfig } from '../../../core/alerts/alertsConfig.js';
import { alertRuleConfigSchema } from '../../../core/alerts/ruleConfigSchema.js';
import { parseRetentionSpan, retentionFromConfig } from '../../../core/history/historyConfig.js';
import { defaultRetention } from '../../../core/history/historyFigures.js';

type Document = Record<string, unknown>;
const retentionKeys = ['raw', 'minute', 'hour'] as const;
/** The default spans (core/history/historyFigures.ts defaultRetention) as the config writes them. */
export const defaultRetentionText = { raw: '24h', minute: '30d', hour: '1y' } as const;

/**
 * The Settings form's rules, retention and notifications merged into the config document, checked
 * by the schemas the config file is read with (ruleConfigSchema and resolveRules for `rules:`,
 * historyConfig for `history:`). Returns the new document, or the refused fields (each named
 * `rules.<id>.<field>`, `retention.<key>` or `notifications.enabled`) and no document.
 */
export function mergeSettingsEdit(document: Document, edit: SettingsEdit, source: string): { document: Document; errors: [] } | { document: null; errors: SettingsFieldError[] } {
  const errors: SettingsFieldError[] = [];
  const next: Document = { ...document };
  if (edit.rules) {
    const rules: AlertRuleConfig[] = Array.isArray(document.rules) ? (document.rules as AlertRuleConfig[]).map((r) => ({ ...r })) : [];
    const known = new Set(alertsFromConfig(document, source).rules.map((r) => r.id));
    for (const ruleEdit of edit.rules) {
      if (!known.has(ruleEdit.id)) {
        errors.push({ field: `rules.${ruleEdit.id}`, message: 'no rule has this id' });
        continue;
      }
      const index = rules.findIndex((r) => r.id === ruleEdit.id);
      const entry: AlertRuleConfig = index >= 0 ? rules[index]! : { id: ruleEdit.id };
      if (ruleEdit.enabled !== undefined) entry.enabled = ruleEdit.enabled;
      if (ruleEdit.level !== undefined) entry.level = ruleEdit.level;
      if (ruleEdit.for !== undefined) entry.for = ruleEdit.for;
      if (ruleEdit.value !== undefined) entry.condition = { ...entry.condition, value: ruleEdit.value };
      const checked = alertRuleConfigSchema.safeParse(entry);
      if (!checked.success) {
        for (const issue of checked.error.issues) errors.push({ field: `rules.${ruleEdit.id}.${fieldOf(issue.path)}`, message: issue.message });
        continue;
      }
      // A whole-rule check (a threshold the figure cannot be compared with, a duration too short).
      try {
        alertsFromConfig({ rules: [entry] }, source);
      } catch (error) {
        errors.push({ field: `rules.${ruleEdit.id}.${ruleEdit.value !== undefined ? 'value' : ruleEdit.for !== undefined ? 'for' : 'level'}`, message: messageOf(error, source) });
        continue;
      }
      if (index >= 0) rules[index] = entry;
      else rules.push(entry);
    }
    next.rules = rules;
  }
  if (edit.retention) {
    const history: Document = isRecord(document.history) ? { ...document.history } : {};
    let valid = true;
    for (const key of retentionKeys) {
      const value = edit.retention[key];
      if (value === undefined) continue;
      if (value === null || value.trim() === '') {
        // Written out rather than removed: the history file remembers the last retention it was given.
        history[key] = defaultRetentionText[key];
        continue;
      }
      try {
        parseRetentionSpan(value, `${source}: history.${key}`);
        history[key] = value.trim();
      } catch (error) {
        valid = false;
        errors.push({ field: `retention.${key}`, message: messageOf(error, `${source}: history.${key}`) });
      }
    }
    if (valid) {
      try {
        retentionFromConfig(history, source, defaultRetention);
      } catch (error) {
        errors.push({ field: 'retention', message: messageOf(error, `${source}: history`) });
      }
    }
    next.history = history;
  }
  if (edit.notifications) {
    next.notifications = { ...(isRecord(document.notifications) ? document.notifications : {}), enabled: edit.notifications.enabled };
  }
  return errors.length ? { document: null, errors } : { document: next, errors: [] };
}

/** The rules in force, as the Settings view edits them. */
export function ruleSettingsOf(document: unknown, source: string): RuleSetting[] {
  const written = new Map(((isRecord(document) && Array.isArray(document.rules) ? document.rules : []) as AlertRuleConfig[]).map((r) => [r.id, r]));
  return alertsFromConfig(document, source).rules.map((rule: AlertRule) => {
    const config = written.get(rule.id);
    return {
      id: rule.id, name: rule.name, level: rule.level, enabled: rule.enabled, figure: rule.condition.figure, op: rule.condition.op,
      value: config?.condition?.value ?? rule.condition.value,
      for: config?.for ?? durationText(rule.forMs),
    };
  });
}

/** Native notifications are on unless the config's `notifications.enabled` is `false`. */
export function notificationsEnabledIn(document: unknown): boolean {
  return !(isRecord(document) && isRecord(document.notifications) && document.notifications.enabled === false);
}

function durationText(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `condition.value` → `value`: the form's field names. */
function fieldOf(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  return path[0] === 'condition' && last === 'value' ? 'value' : path.map(String).join('.') || 'rule';
}

function messageOf(error: unknown, prefix: string): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'detail' in error ? String((error as { detail: unknown }).detail) : String(error);
  return text.startsWith(prefix) ? text.slice(prefix.length).replace(/^[:\s]+/, '') : text;
}

function isRecord(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
