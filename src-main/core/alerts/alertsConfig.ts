import { z } from 'zod';
import type { AlertRule, AlertsConfig, MaintenanceWindow } from '../../contract/alerts.js';
import { ConfigError } from '../config/configError.js';
import { resolveMaintenance, resolveRules } from './resolveRules.js';
import { alertRuleConfigSchema, maintenanceWindowConfigSchema } from './ruleConfigSchema.js';

const alertsConfigSchema = z.looseObject({
  rules: z.array(alertRuleConfigSchema).optional(),
  maintenance: z.array(maintenanceWindowConfigSchema).optional(),
  alertLog: z.union([z.string().min(1), z.literal(false)]).optional(),
  alertState: z.union([z.string().min(1), z.literal(false)]).optional(),
});

export interface ResolvedAlertsConfig {
  rules: AlertRule[];
  maintenance: MaintenanceWindow[];
  /** As written; `undefined` = the face's default. */
  alertLog?: string | false;
  alertState?: string | false;
}

/**
 * The alert settings of a parsed config document (its other keys are ignored): the rules in
 * force (defaults edited and added to), maintenance windows as instants, the log and state
 * paths. Throws BAD_CONFIG naming the first wrong field. `null` or `undefined`: the defaults.
 */
export function alertsFromConfig(document: unknown, source: string): ResolvedAlertsConfig {
  const parsed = alertsConfigSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('BAD_CONFIG', `${source}: ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
  }
  const config = parsed.data as AlertsConfig;
  return {
    rules: resolveRules(config.rules, source),
    maintenance: resolveMaintenance(config.maintenance, source),
    ...(config.alertLog !== undefined ? { alertLog: config.alertLog } : {}),
    ...(config.alertState !== undefined ? { alertState: config.alertState } : {}),
  };
}
