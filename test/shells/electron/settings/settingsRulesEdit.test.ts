import { describe, expect, it } from 'vitest';
import { alertsFromConfig } from '../../../../src-main/core/alerts/alertsConfig.js';
import { retentionFromConfig } from '../../../../src-main/core/history/historyConfig.js';
import { defaultRetention } from '../../../../src-main/core/history/historyFigures.js';
import type { PasswordSealer } from '../../../../src-main/shells/electron/settings/passwordSealer.js';
import { readSettingsView, saveSettings, type ConfigDocumentStore } from '../../../../src-main/shells/electron/settings/savedConnections.js';
import { createSettingsHandlers } from '../../../../src-main/shells/electron/settings/settingsApi.js';
import { defaultRetentionText, mergeSettingsEdit, notificationsEnabledIn, ruleSettingsOf } from '../../../../src-main/shells/electron/settings/settingsMerge.js';

/** Rules, retention and notifications edited from the Settings view, checked by the config file's schemas. */
const source = '/tmp/config.json';
const sealer: PasswordSealer = {
  whyNotSealable: async () => null,
  seal: async (p) => `sealed:${p}`,
  open: async (s) => ({ password: s.replace(/^sealed:/, ''), shouldReseal: false }),
};
function memoryStore(document: Record<string, unknown>): ConfigDocumentStore & { writes: number; doc: () => Record<string, unknown> } {
  let current = structuredClone(document);
  let writes = 0;
  return {
    path: source,
    read: () => structuredClone(current),
    write: (next) => {
      current = structuredClone(next);
      writes += 1;
    },
    get writes() { return writes; },
    doc: () => current,
  };
}
const base = () => ({
  connections: [{ id: 'prod', kind: 'redis', url: 'redis://prod.example/0', passwordEncrypted: 'sealed:pw' }],
  rules: [{ id: 'backlog', level: 'warning', clear: { op: '<=', value: 400 } }],
  history: { failedTasks: '60d' },
  custom: { kept: true },
});

describe('mergeSettingsEdit', () => {
  it('edits a default rule by id, keeping what the entry had, and adds an entry for another', () => {
    const result = mergeSettingsEdit(base(), { rules: [{ id: 'backlog', value: 500, for: '2m' }, { id: 'noConsumer', enabled: false, level: 'critical' }] }, source);
    expect(result.errors).toEqual([]);
    expect(result.document!.rules).toEqual([
      { id: 'backlog', level: 'warning', clear: { op: '<=', value: 400 }, condition: { value: 500 }, for: '2m' },
      { id: 'noConsumer', enabled: false, level: 'critical' },
    ]);
    const rules = alertsFromConfig(result.document, source).rules;
    const backlog = rules.find((r) => r.id === 'backlog')!;
    expect([backlog.condition, backlog.forMs]).toEqual([{ figure: 'waiting', op: '>', value: 500 }, 120_000]);
    const noConsumer = rules.find((r) => r.id === 'noConsumer')!;
    expect([noConsumer.enabled, noConsumer.level]).toEqual([false, 'critical']);
  });

  it('refuses values the config schemas refuse, each named by its field, and returns no document', () => {
    const result = mergeSettingsEdit(base(), {
      rules: [{ id: 'backlog', for: 'soon' }, { id: 'oldestWaiting', value: 'five minutes' }, { id: 'nope', enabled: true }],
      retention: { raw: '2 days' },
    }, source);
    expect(result.document).toBeNull();
    expect(result.errors.map((e) => e.field)).toEqual(['rules.backlog.for', 'rules.oldestWaiting.value', 'rules.nope', 'retention.raw']);
    expect(result.errors[0]!.message).toBe('a duration like "5m"');
    expect(result.errors[3]!.message).toBe('"2 days" is not a duration like 24h, 30d or 1y');
  });

  it('a threshold the figure cannot take (a word for a count) is refused by resolveRules', () => {
    const result = mergeSettingsEdit(base(), { rules: [{ id: 'backlog', value: 'lots' }] }, source);
    expect(result.document).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.field).toBe('rules.backlog.value');
  });

  it('sets retention spans, removes one set to null, and refuses spans that contradict each other', () => {
    const ok = mergeSettingsEdit(base(), { retention: { raw: '48h', minute: '60d', hour: null } }, source);
    // A span set back to the default is written out: the history file keeps the last retention it was given.
    expect(ok.document!.history).toEqual({ failedTasks: '60d', raw: '48h', minute: '60d', hour: '1y' });
    expect(retentionFromConfig(ok.document!.history, source, defaultRetention))
      .toEqual({ failedTaskMs: 60 * 86_400_000, rawMs: 48 * 3_600_000, minuteMs: 60 * 86_400_000, hourMs: defaultRetention.hourMs });
    expect(retentionFromConfig(defaultRetentionText, source, defaultRetention)).toEqual({ rawMs: defaultRetention.rawMs, minuteMs: defaultRetention.minuteMs, hourMs: defaultRetention.hourMs });
    const bad = mergeSettingsEdit(base(), { retention: { raw: '90d' } }, source);
    expect(bad.document).toBeNull();
    expect(bad.errors.map((e) => e.field)).toEqual(['retention']);
  });

  it('switches notifications, on by default', () => {
    expect(notificationsEnabledIn(base())).toBe(true);
    const off = mergeSettingsEdit(base(), { notifications: { enabled: false } }, source);
    expect(off.document!.notifications).toEqual({ enabled: false });
    expect(notificationsEnabledIn(off.document)).toBe(false);
  });
});

describe('ruleSettingsOf', () => {
  it('lists every rule in force with the threshold and for as written or as the default has them', () => {
    const rules = ruleSettingsOf({ rules: [{ id: 'oldestWaiting', condition: { value: '10m' }, for: '30s' }] }, source);
    expect(rules.find((r) => r.id === 'oldestWaiting')).toEqual({
      id: 'oldestWaiting', name: 'Oldest waiting task older than 5 min', level: 'warning', enabled: true,
      figure: 'oldestWaitingAgeMs', op: '>', value: '10m', for: '30s',
    });
    expect(rules.find((r) => r.id === 'noConsumer')).toMatchObject({ value: 0, for: '1m', level: 'emergency' });
    expect(rules.find((r) => r.id === 'backlogForecast')!.enabled).toBe(false);
  });
});

describe('saveSettings with rules, retention and notifications', () => {
  it('persists them beside the connections and other keys, and the view reads them back', async () => {
    const store = memoryStore(base());
    const result = await saveSettings(store, sealer, { rules: [{ id: 'backlog', value: 1500 }], retention: { raw: '12h' }, notifications: { enabled: false } });
    expect(result).toEqual({ warnings: [], errors: [] });
    const doc = store.doc();
    expect(doc.custom).toEqual({ kept: true });
    expect(doc.connections).toEqual(base().connections);
    expect(doc.history).toEqual({ failedTasks: '60d', raw: '12h' });
    const view = await readSettingsView(store, sealer);
    expect(view.ruleSettings!.find((r) => r.id === 'backlog')!.value).toBe(1500);
    expect(view.retention).toEqual({ failedTasks: '60d', raw: '12h' });
    expect(view.notificationsEnabled).toBe(false);
  });

  it('saves nothing, connections included, when one value is refused', async () => {
    const store = memoryStore(base());
    const result = await saveSettings(store, sealer, { readOnly: false, connections: [], rules: [{ id: 'backlog', level: 'fatal' as never }] });
    expect(result.errors.map((e) => e.field)).toEqual(['rules.backlog.level']);
    expect(store.writes).toBe(0);
    expect(store.doc()).toEqual(base());
  });

  it('through the Api: errors come back with the unchanged settings, and the monitor is not restarted', async () => {
    const store = memoryStore(base());
    let applied = 0;
    const api = createSettingsHandlers({ store, sealer, env: {}, loadWarnings: () => [], apply: async () => { applied += 1; return true; } });
    const refused = await api.saveSettings({ rules: [{ id: 'backlog', value: -1 }, { id: 'backlog', for: '1 minute' }] });
    expect(refused.applied).toBe(false);
    expect(refused.errors!.map((e) => e.field)).toEqual(['rules.backlog.for']);
    expect(applied).toBe(0);
    const saved = await api.saveSettings({ rules: [{ id: 'backlog', value: 2000 }] });
    expect([saved.applied, saved.errors, applied]).toEqual([true, undefined, 1]);
    expect(saved.settings.ruleSettings!.find((r) => r.id === 'backlog')!.value).toBe(2000);
  });
});
