import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../src-main/core/alerts/defaultRules.js';
import { resolveMaintenance, resolveRules } from '../../../src-main/core/alerts/resolveRules.js';
import { alertRuleConfigSchema } from '../../../src-main/core/alerts/ruleConfigSchema.js';

describe('resolveRules', () => {
  it('no rules: the defaults, enabled except the predictive one', () => {
    const rules = resolveRules(undefined, 'cfg');
    expect(rules.map((r) => [r.id, r.level, r.enabled])).toEqual([
      ['backlog', 'warning', true], ['oldestWaiting', 'warning', true], ['backlogForecast', 'warning', false],
      ['taskTimeout', 'error', true], ['failureRatio', 'critical', true], ['workerLost', 'emergency', true],
      ['noConsumer', 'emergency', true], ['brokerUnreachable', 'emergency', true], ['brokerUnauthorized', 'emergency', true],
      ['brokerMemory', 'critical', true], ['brokerEvictions', 'critical', true], ['brokerMemoryAlarm', 'critical', true],
      ['brokerDiskAlarm', 'critical', true],
    ]);
    expect(rules).toEqual(defaultRules);
  });

  it('a default edited by id: given fields replace, the condition member by member, durations parsed', () => {
    const [backlog] = resolveRules([{ id: 'backlog', condition: { value: 50 }, for: '30s', renotify: '1h' }], 'cfg');
    expect(backlog).toMatchObject({ id: 'backlog', level: 'warning', condition: { figure: 'waiting', op: '>', value: 50 }, forMs: 30_000, renotifyMs: 3_600_000, clear: { op: '<=', value: 900 } });
  });

  it('disable by id; add a rule with a duration and a percentage', () => {
    const rules = resolveRules([
      { id: 'noConsumer', enabled: false },
      { id: 'slowMail', level: 'error', scope: { queue: 'mail*' }, condition: { figure: 'oldestWaitingAgeMs', op: '>', value: '2m' } },
      { id: 'failMail', level: 'critical', condition: { figure: 'failureRatio', op: '>', value: '1%' }, minFinished: 5 },
    ], 'cfg');
    expect(rules.find((r) => r.id === 'noConsumer')!.enabled).toBe(false);
    expect(rules.at(-2)).toMatchObject({ id: 'slowMail', name: 'slowMail', condition: { value: 120_000 }, scope: { queue: 'mail*' }, forMs: 0, renotifyMs: null });
    expect(rules.at(-1)).toMatchObject({ condition: { value: 0.01 }, minFinished: 5 });
  });

  it('predictive rules: horizon and span parsed; only numeric queue figures', () => {
    const [, , forecast] = resolveRules([{ id: 'backlogForecast', enabled: true, predict: { horizon: '30m' } }], 'cfg');
    expect(forecast!.predict).toEqual({ horizonMs: 1_800_000, spanMs: 600_000 });
    expect(() => resolveRules([{ id: 'x', level: 'warning', condition: { figure: 'brokerMemoryRatio', op: '>', value: 0.5 }, predict: { horizon: '5m' } }], 'cfg'))
      .toThrow('cfg: rules: "x": predict works on a numeric queue figure, not brokerMemoryRatio');
  });

  it('errors name the rule and the field', () => {
    expect(() => resolveRules([{ id: 'new' }], 'cfg')).toThrow('cfg: rules: "new": a new rule needs condition.figure, condition.op and condition.value');
    expect(() => resolveRules([{ id: 'a', condition: { figure: 'waiting', op: '>', value: 1 } }], 'cfg')).toThrow('needs a level');
    expect(() => resolveRules([{ id: 'backlog' }, { id: 'backlog' }], 'cfg')).toThrow('cfg: rules: "backlog" appears twice');
    expect(() => resolveRules([{ id: 'down', level: 'error', condition: { figure: 'connectionStatus', op: '==', value: 'gone' } }], 'cfg'))
      .toThrow('connectionStatus is ok, degraded, unreachable or unauthorized, not "gone"');
    expect(() => resolveRules([{ id: 'w', level: 'error', condition: { figure: 'waiting', op: '>', value: 'lots' } }], 'cfg')).toThrow('"lots" is not a number');
  });

  it('the config schema refuses unknown figures and keys', () => {
    expect(alertRuleConfigSchema.safeParse({ id: 'a', condition: { figure: 'wating' } }).success).toBe(false);
    expect(alertRuleConfigSchema.safeParse({ id: 'a', condition: { figure: 'brokerBogus' } }).success).toBe(false);
    expect(alertRuleConfigSchema.safeParse({ id: 'a', condition: { figure: 'broker.connectedClients' } }).success).toBe(true);
    expect(alertRuleConfigSchema.safeParse({ id: 'a', fro: '5m' }).success).toBe(false);
  });

  it('maintenance windows from ISO times', () => {
    expect(resolveMaintenance([{ from: '2026-12-04T10:00:00Z', to: '2026-12-04T11:00:00Z', match: { connection: 'prod' } }], 'cfg'))
      .toEqual([{ id: 'maintenance-1', match: { connection: 'prod' }, startsAt: Date.UTC(2026, 11, 4, 10), endsAt: Date.UTC(2026, 11, 4, 11) }]);
    expect(() => resolveMaintenance([{ from: '2026-12-04T11:00:00Z', to: '2026-12-04T10:00:00Z' }], 'cfg')).toThrow('"to" must be a date and time after "from"');
  });
});

describe('alertsFromConfig', () => {
  it('reads rules, maintenance and the log path beside other keys; errors name the field', async () => {
    const { alertsFromConfig } = await import('../../../src-main/core/alerts/alertsConfig.js');
    const resolved = alertsFromConfig({ connections: [], rules: [{ id: 'backlog', enabled: false }], alertLog: '/tmp/a.log' }, 'cfg.yaml');
    expect([resolved.rules.find((r) => r.id === 'backlog')!.enabled, resolved.maintenance, resolved.alertLog, resolved.alertState]).toEqual([false, [], '/tmp/a.log', undefined]);
    expect(() => alertsFromConfig({ rules: [{ id: 'x', for: 'soon' }] }, 'cfg.yaml')).toThrow('cfg.yaml: rules.0.for: a duration like "5m"');
    expect(alertsFromConfig(undefined, 'cfg').rules).toEqual(defaultRules);
  });
});
