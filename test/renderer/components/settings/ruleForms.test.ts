import { describe, expect, it } from 'vitest';
import type { RuleSetting } from '../../../../src-main/contract/settings.js';
import { fieldErrorsOf, retentionEditOf, ruleEditsOf, ruleFormOf, thresholdOf } from '../../../../src-renderer/components/settings/settingsModel.js';

/** The Settings forms for rules and retention: what is sent is what changed. */
const rules: RuleSetting[] = [
  { id: 'backlog', name: 'Backlog over 1000', level: 'warning', enabled: true, figure: 'waiting', op: '>', value: 1000, for: '0s' },
  { id: 'oldestWaiting', name: 'Oldest waiting', level: 'warning', enabled: true, figure: 'oldestWaitingAgeMs', op: '>', value: '5m', for: '0s' },
];

describe('rule forms', () => {
  it('send only the rules and fields changed, thresholds as numbers when they read as one', () => {
    const forms = Object.fromEntries(rules.map((r) => [r.id, ruleFormOf(r)]));
    expect(ruleEditsOf(rules, forms)).toEqual([]);
    forms.backlog = { ...forms.backlog!, value: ' 1500 ', for: '2m' };
    forms.oldestWaiting = { ...forms.oldestWaiting!, enabled: false, level: 'error', value: '10m' };
    expect(ruleEditsOf(rules, forms)).toEqual([
      { id: 'backlog', value: 1500, for: '2m' },
      { id: 'oldestWaiting', enabled: false, level: 'error', value: '10m' },
    ]);
  });

  it('reads thresholds', () => {
    expect([thresholdOf('0.05'), thresholdOf('5%'), thresholdOf(''), thresholdOf(' 12 ')]).toEqual([0.05, '5%', '', 12]);
  });
});

describe('retention form', () => {
  it('sends the spans changed; an emptied one goes back to the default', () => {
    expect(retentionEditOf({ raw: '24h', failedTasks: '60d' }, { raw: '', minute: '60d', hour: '' })).toEqual({ raw: null, minute: '60d' });
    expect(retentionEditOf(null, { raw: '', minute: '', hour: '' })).toEqual({});
  });
});

describe('field errors', () => {
  it('are keyed by field, two on one field joined', () => {
    expect(fieldErrorsOf([{ field: 'rules.backlog.for', message: 'a' }, { field: 'rules.backlog.for', message: 'b' }, { field: 'retention.raw', message: 'c' }]))
      .toEqual({ 'rules.backlog.for': 'a; b', 'retention.raw': 'c' });
    expect(fieldErrorsOf(undefined)).toEqual({});
  });
});
