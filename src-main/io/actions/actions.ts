import type { ActionConfig, ActionEvent, ActionKind, ActionLogEntry, ActionWhen } from '../../contract/actions.js';
import type { NotifyDecision } from '../../contract/alerts.js';
import type { Framework } from '../../contract/figures.js';
import { parseDuration } from '../../core/config/configSchema.js';
import { alertEnvOf } from './alertEnv.js';
import { postableAlertsOf } from './alertmanagerBody.js';
import { postJson } from './postJson.js';
import { RateLimit } from './rateLimit.js';
import { runCommand } from './runCommand.js';
import type { TaskRetrier } from './taskRetrier.js';
import { jsonBodyOf, slackBodyOf } from './webhookBody.js';

/** What one run came to (the dispatcher adds who, when and for what). */
export type ActionOutcome = Pick<ActionLogEntry, 'outcome' | 'detail' | 'output' | 'durationMs'>;

/** One configured action, ready to run. `run` never rejects. */
export interface Action {
  id: string;
  kind: ActionKind;
  when?: ActionWhen;
  run(decision: NotifyDecision, event: ActionEvent, dispatchId: string): Promise<ActionOutcome>;
}

export interface ActionDeps {
  /** For `urlEnv` (the monitor's environment). */
  env: Readonly<Record<string, string | undefined>>;
  retrier: TaskRetrier;
  now(): number;
}

export const defaultTimeoutMs = { command: 60_000, webhook: 10_000, alertmanager: 10_000, retry: 30_000 } as const;

/** Builds the actions of a validated `actions:` list (ids default to `<kind>-<position>`). */
export function createActions(configs: readonly ActionConfig[], deps: ActionDeps): Action[] {
  return configs.map((config, i) => {
    const id = config.id ?? `${config.kind}-${i + 1}`;
    const timeoutMs = config.timeout ? parseDuration(config.timeout, `actions.${i}.timeout`, 1) : defaultTimeoutMs[config.kind];
    const base = { id, kind: config.kind, ...(config.when ? { when: config.when } : {}) };
    switch (config.kind) {
      case 'command':
        return { ...base, run: async (decision, event, dispatchId) => runCommand({
          command: config.command, cwd: config.cwd, timeoutMs, env: { ...config.env, ...alertEnvOf(decision, event, dispatchId) },
        }) };
      case 'webhook':
        return { ...base, run: async (decision, event, dispatchId) => {
          const url = config.url ?? deps.env[config.urlEnv!];
          if (!url) return { outcome: 'failed', detail: `environment variable ${config.urlEnv} is not set` };
          const headers = headersOf(config, deps.env);
          if (typeof headers === 'string') return { outcome: 'failed', detail: headers };
          const body = config.format === 'slack' ? slackBodyOf(decision, event) : jsonBodyOf(decision, event, dispatchId);
          return postJson(url, body, { timeoutMs, headers });
        } };
      case 'alertmanager': {
        const url = `${config.url.replace(/\/+$/, '')}/api/v2/alerts`;
        // Reminders re-post the firing alert by default: Alertmanager forgets alerts not re-sent.
        const when = { ...config.when, on: config.when?.on ?? ['start', 'end', 'repeat'] };
        return { ...base, when, run: async (decision, event) => {
          const headers = headersOf(config, deps.env);
          if (typeof headers === 'string') return { outcome: 'failed', detail: headers };
          return postJson(url, postableAlertsOf(decision, event, config), { timeoutMs, headers });
        } };
      }
      case 'retry':
        return { ...base, run: retryRun(new RateLimit(config.maxPerHour ?? 10, 3_600_000), deps) };
    }
  });
}

/** The headers of a request, secrets read from the environment at each run; a missing one is the failure's detail. */
function headersOf(config: { headers?: Record<string, string>; headersEnv?: Record<string, string> }, env: ActionDeps['env']): Record<string, string> | string {
  const headers = { ...config.headers };
  for (const [name, variable] of Object.entries(config.headersEnv ?? {})) {
    const value = env[variable];
    if (value === undefined || value === '') return `environment variable ${variable} (header ${name}) is not set`;
    headers[name] = value;
  }
  return headers;
}

/**
 * Retries the failed tasks of the alert's queue within the hourly budget, on a start or a
 * reminder. Runs of one retry action go one at a time, so two alerts at once cannot overspend.
 */
function retryRun(budget: RateLimit, deps: ActionDeps): Action['run'] {
  let previous: Promise<unknown> = Promise.resolve();
  return (decision, event) => {
    const next = previous.then(() => retryOnce(budget, deps, decision, event));
    previous = next;
    return next;
  };
}

async function retryOnce(budget: RateLimit, deps: ActionDeps, decision: NotifyDecision, event: ActionEvent): Promise<ActionOutcome> {
  const { labels } = decision.alert;
  if (event === 'end') return { outcome: 'skipped', detail: 'nothing to retry when an incident ends' };
  if (!labels.queue || !labels.framework || !labels.connection) return { outcome: 'skipped', detail: 'the alert names no queue' };
  const framework = labels.framework as Framework;
  if (!deps.retrier.supports(framework)) return { outcome: 'unsupported', detail: `automatic retry is not supported for ${framework}` };
  const limit = budget.available(deps.now());
  if (limit === 0) return { outcome: 'rateLimited', detail: `the budget of ${budget.limit} retries an hour is spent` };
  const started = performance.now();
  try {
    const target = { connection: labels.connection, framework, queue: labels.queue, ...(labels.namespace ? { namespace: labels.namespace } : {}) };
    const { retried, failed = [] } = await deps.retrier.retryFailed(target, limit);
    budget.take(retried.length, deps.now());
    const detail = `retried ${retried.length} failed task(s)${retried.length ? `: ${retried.join(', ')}` : ''}${failed.length ? `; could not retry ${failed.join(', ')}` : ''}`;
    return { outcome: failed.length && !retried.length ? 'failed' : 'ok', detail, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { outcome: 'failed', detail: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - started) };
  }
}
