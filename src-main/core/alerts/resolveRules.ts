import type { AlertCondition, AlertFigure, AlertRule, AlertRuleConfig, MaintenanceWindow, MaintenanceWindowConfig } from '../../contract/alerts.js';
import { ConfigError } from '../config/configError.js';
import { parseDuration } from '../config/configSchema.js';
import { isQueueFigure } from './alertFigures.js';
import { defaultRules } from './defaultRules.js';

/** Without `span`, a predictive rule fits its trend over the last 10 minutes. */
const defaultPredictSpanMs = 600_000;

/**
 * The rules in force: the defaults, each edited by a config entry with its id (the fields given
 * replace the default's; `condition` member by member), then the config's new rules in order.
 * User-written durations are parsed here, once; a `…Ms` figure's value may be a duration
 * (`"5m"`) and a `…Ratio` figure's a percentage (`"5%"`).
 */
export function resolveRules(configs: readonly AlertRuleConfig[] | undefined, source: string): AlertRule[] {
  const rules = new Map(defaultRules.map((r) => [r.id, r]));
  const seen = new Set<string>();
  for (const config of configs ?? []) {
    const where = `${source}: rules: "${config.id}"`;
    if (seen.has(config.id)) throw new ConfigError('BAD_CONFIG', `${where} appears twice`);
    seen.add(config.id);
    rules.set(config.id, resolveOne(config, rules.get(config.id), where));
  }
  return [...rules.values()];
}

function resolveOne(config: AlertRuleConfig, base: AlertRule | undefined, where: string): AlertRule {
  const partial: Partial<AlertCondition> = config.condition ?? {};
  const figure = partial.figure ?? base?.condition.figure;
  const op = partial.op ?? base?.condition.op;
  const rawValue = partial.value ?? base?.condition.value;
  const level = config.level ?? base?.level;
  if (!figure || !op || rawValue === undefined) throw new ConfigError('BAD_CONFIG', `${where}: a new rule needs condition.figure, condition.op and condition.value`);
  if (!level) throw new ConfigError('BAD_CONFIG', `${where}: a new rule needs a level (warning, error, critical or emergency)`);
  const value = figureValue(figure, rawValue, `${where}: condition.value`);
  checkComparable(figure, op, value, `${where}: condition`);
  const clear = config.clear ? { op: config.clear.op, value: figureValue(figure, config.clear.value, `${where}: clear.value`) } : base?.clear;
  if (clear) checkComparable(figure, clear.op, clear.value, `${where}: clear`);
  const ms = (text: string | undefined, what: string, fallback: number) => (text === undefined ? fallback : parseDuration(text, `${where}: ${what}`));
  const predict = config.predict
    ? { horizonMs: ms(config.predict.horizon, 'predict.horizon', 0), spanMs: ms(config.predict.span, 'predict.span', defaultPredictSpanMs) }
    : base?.predict;
  if (predict && (!isQueueFigure(figure) || typeof value !== 'number')) {
    throw new ConfigError('BAD_CONFIG', `${where}: predict works on a numeric queue figure, not ${figure}`);
  }
  const minFinished = config.minFinished ?? base?.minFinished;
  return {
    id: config.id,
    name: config.name ?? base?.name ?? config.id,
    level,
    enabled: config.enabled ?? base?.enabled ?? true,
    scope: config.scope ?? base?.scope ?? {},
    condition: { figure, op, value },
    forMs: ms(config.for, 'for', base?.forMs ?? 0),
    keepFiringForMs: ms(config.keepFiringFor, 'keepFiringFor', base?.keepFiringForMs ?? 0),
    renotifyMs: config.renotify === 'off' ? null : config.renotify !== undefined ? parseDuration(config.renotify, `${where}: renotify`, 1000) : base?.renotifyMs ?? null,
    ...(clear ? { clear } : {}),
    ...(minFinished !== undefined ? { minFinished } : {}),
    ...(predict ? { predict } : {}),
  };
}

function figureValue(figure: AlertFigure, value: number | string, what: string): number | string {
  if (typeof value === 'number' || figure === 'connectionStatus') return value;
  if (figure.endsWith('Ms')) return parseDuration(value, what);
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  if (figure.endsWith('Ratio') && percent) return Number(percent[1]) / 100;
  throw new ConfigError('BAD_CONFIG', `${what}: "${value}" is not a number${figure.endsWith('Ratio') ? ' or a percentage' : ''}`);
}

function checkComparable(figure: AlertFigure, op: string, value: number | string, where: string): void {
  if (typeof value === 'string' && op !== '==' && op !== '!=') throw new ConfigError('BAD_CONFIG', `${where}: ${figure} is compared with == or !=`);
  if (figure === 'connectionStatus' && !['ok', 'degraded', 'unreachable', 'unauthorized'].includes(String(value))) {
    throw new ConfigError('BAD_CONFIG', `${where}: connectionStatus is ok, degraded, unreachable or unauthorized, not "${value}"`);
  }
}

/** Maintenance windows from the config, as instants. */
export function resolveMaintenance(configs: readonly MaintenanceWindowConfig[] | undefined, source: string): MaintenanceWindow[] {
  return (configs ?? []).map((c, i) => {
    const id = c.id ?? `maintenance-${i + 1}`;
    const startsAt = Date.parse(c.from);
    const endsAt = Date.parse(c.to);
    if (Number.isNaN(startsAt) || Number.isNaN(endsAt) || endsAt <= startsAt) {
      throw new ConfigError('BAD_CONFIG', `${source}: maintenance: "${id}": "to" must be a date and time after "from"`);
    }
    return { id, match: c.match ?? {}, startsAt, endsAt, ...(c.comment !== undefined ? { comment: c.comment } : {}) };
  });
}
