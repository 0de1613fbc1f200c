import { actionSettingsSchema, actionsConfigSchema, type ActionConfig, type ActionSettings } from '../../contract/actions.js';
import { ConfigError } from '../../core/config/configError.js';

/**
 * The `actions:` and `actionSettings:` of a config document (the app config keeps unknown
 * top-level keys for such sections), validated; throws BAD_CONFIG naming the first wrong field,
 * like the rest of the config.
 */
export function actionsOfConfig(document: object, source: string): { actions: ActionConfig[]; settings: ActionSettings } {
  const doc = document as { actions?: unknown; actionSettings?: unknown };
  const actions = actionsConfigSchema.safeParse(doc.actions ?? []);
  if (!actions.success) throw configError(source, 'actions', actions.error.issues[0]!);
  const settings = actionSettingsSchema.safeParse(doc.actionSettings ?? {});
  if (!settings.success) throw configError(source, 'actionSettings', settings.error.issues[0]!);
  return { actions: actions.data as ActionConfig[], settings: settings.data };
}

function configError(source: string, section: string, issue: { path: PropertyKey[]; message: string }): ConfigError {
  return new ConfigError('BAD_CONFIG', `${source}: ${[section, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}
