import type { ActionEvent } from '../../contract/actions.js';
import type { NotifyDecision } from '../../contract/alerts.js';
import { alertRouteOf } from './alertRoute.js';

/** Alertmanager API v2 `postableAlert` (api/v2/openapi.yaml): labels required, times RFC 3339. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerOptions {
  /** Extra labels on every alert. */
  labels?: Record<string, string>;
  /** Base URL of the web face; the alert's route is appended. */
  generatorUrl?: string;
}

/**
 * The body of `POST /api/v2/alerts` for one decision: `alertname` is the rule id, `severity`
 * the level, the alert's labels follow (names made valid for Prometheus). Start and reminders
 * post the alert firing (no `endsAt`: Alertmanager keeps it for its `resolve_timeout`); the end
 * posts it again with `endsAt`, which resolves it. Empty label values are left out, as
 * Alertmanager treats them as absent.
 */
export function postableAlertsOf(decision: NotifyDecision, event: ActionEvent, options: AlertmanagerOptions = {}): PostableAlert[] {
  const { alert } = decision;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...alert.labels, ...options.labels })) if (v !== '') labels[labelName(k)] = v;
  labels.alertname = alert.ruleId;
  labels.severity = alert.level;
  const annotations: Record<string, string> = {
    summary: alert.summary,
    value: alert.value === null ? '?' : String(alert.value),
    threshold: String(alert.threshold),
  };
  const startsAt = new Date(alert.firedAt ?? alert.activeAt ?? decision.at).toISOString();
  const posted: PostableAlert = { labels, annotations, startsAt };
  if (event === 'end') posted.endsAt = new Date(alert.resolvedAt ?? decision.at).toISOString();
  if (options.generatorUrl) posted.generatorURL = `${options.generatorUrl.replace(/\/+$/, '')}/${alertRouteOf(alert.labels)}`;
  return [posted];
}

/** Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`. */
function labelName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}
