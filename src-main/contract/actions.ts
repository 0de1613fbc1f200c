import { z } from 'zod';
import { levels, type Level } from './alerts.js';

/**
 * What the monitor does besides notifying when an incident starts or ends (issue 4 item 4), as
 * the user writes it under `actions:` in the config file. Every action follows the notification
 * decisions of the alert engine: it runs when a notification is due and not held back (a
 * maintenance window or a snooze holds actions back too), once per incident start and once per
 * end, never again after a restart (a ledger of dispatched ids).
 *
 * ```yaml
 * actions:
 *   - id: scale-up
 *     kind: command
 *     when: { rules: [backlog], on: [start] }
 *     command: ["/opt/hooks/scale.sh", "up"]
 *     timeout: 30s
 *   - { id: chat, kind: webhook, format: slack, urlEnv: SLACK_WEBHOOK_URL, when: { minLevel: error } }
 *   - { id: am, kind: alertmanager, url: "http://alertmanager:9093" }
 *   - { id: retry, kind: retry, when: { rules: [failure-ratio] }, maxPerHour: 20 }
 * ```
 */

/** An incident started (first notification), ended (recovery) or is reminded of (renotify). */
export type ActionEvent = 'start' | 'end' | 'repeat';

export const actionEvents = ['start', 'end', 'repeat'] as const satisfies readonly ActionEvent[];

/** Which notifications an action runs for; omitted members match everything. */
export interface ActionWhen {
  /** Rule ids (exact). */
  rules?: string[];
  /** Levels, exactly these. */
  levels?: Level[];
  /** This level and worse. */
  minLevel?: Level;
  /** Connection ids (exact). */
  connections?: string[];
  /** Default `['start', 'end']` (a reminder runs nothing unless listed); Alertmanager `['start', 'end', 'repeat']`. */
  on?: ActionEvent[];
}

interface ActionBase {
  /** Unique; names the action in the log and in the ledger of dispatched ids. Default `<kind>-<index>`. */
  id?: string;
  when?: ActionWhen;
  /** Time limit of one run or request, e.g. `"10s"` (the default; commands `"60s"`). */
  timeout?: string;
}

/**
 * Runs a program with the alert in its environment (`TASK_STATUS_ALERT_…`, see io/actions/README.md).
 * An array is run as is (no shell); a string is run by the shell (`/bin/sh -c`, `cmd.exe /c`).
 * On timeout the whole process group is killed. Output goes to the action log.
 */
export interface CommandActionConfig extends ActionBase {
  kind: 'command';
  command: string | string[];
  cwd?: string;
  /** Extra environment variables (the monitor's own environment is passed through). */
  env?: Record<string, string>;
}

/**
 * POSTs the incident as JSON. `json` (default): `{version, event, reason, at, alert}`;
 * `slack`: `{text, blocks}` (Slack incoming webhooks, Mattermost, Rocket.Chat).
 */
export interface WebhookActionConfig extends ActionBase {
  kind: 'webhook';
  /** The URL, or the name of an environment variable holding it (webhook URLs are often secrets). */
  url?: string;
  urlEnv?: string;
  format?: 'json' | 'slack';
  headers?: Record<string, string>;
  /** Headers whose values are secrets, by environment variable name: `{Authorization: HOOK_AUTH}`. */
  headersEnv?: Record<string, string>;
}

/**
 * Prometheus Alertmanager API v2: `POST <url>/api/v2/alerts`, with `startsAt` on start and
 * `endsAt` on end. Alertmanager resolves an alert it has not heard of for its `resolve_timeout`
 * (5 min by default): set it above your longest incident, or give the rules a `renotify`
 * shorter than it: reminders re-post the alert (this action runs on `repeat` by default).
 */
export interface AlertmanagerActionConfig extends ActionBase {
  kind: 'alertmanager';
  /** Alertmanager's base URL, `http://alertmanager:9093`. */
  url: string;
  /** Extra labels on every alert (`team: ops`). */
  labels?: Record<string, string>;
  /** Where `generatorURL` points, the web face; `#/queue/…` is appended. Default none. */
  generatorUrl?: string;
  headers?: Record<string, string>;
  headersEnv?: Record<string, string>;
}

/**
 * Opt-in automatic retry of the failed tasks of the alert's queue (on start and reminders),
 * at most `maxPerHour` tasks per hour in all. Frameworks whose retry is not written yet are
 * logged as "not supported", never an error.
 */
export interface RetryActionConfig extends ActionBase {
  kind: 'retry';
  /** Default 10. */
  maxPerHour?: number;
}

export type ActionConfig = CommandActionConfig | WebhookActionConfig | AlertmanagerActionConfig | RetryActionConfig;

export type ActionKind = ActionConfig['kind'];

/** The config's `actionSettings:` (all optional). */
export interface ActionSettings {
  /** How many actions run at once (default 4): a slow webhook never holds the others up for long. */
  concurrency?: number;
}

/** What an action run came to, one JSON line each in the action log. */
export interface ActionLogEntry {
  at: number;
  actionId: string;
  kind: ActionKind;
  /** The dispatch id: `<actionId>/<alert key>@<firedAt>/<event>[/<at>]`, written once to the ledger. */
  dispatchId: string;
  event: ActionEvent;
  alertKey: string;
  outcome: 'ok' | 'failed' | 'timeout' | 'skipped' | 'unsupported' | 'rateLimited';
  /** Plain words: `HTTP 500`, `exit code 2`, `killed after 5000 ms`. */
  detail: string;
  /** Captured output of a command (stdout then stderr, cut at 16 KiB), or a response body's start. */
  output?: string;
  durationMs?: number;
}

// ---- config schema (the config file's `actions:`), checked once where the config is read ----

const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration like "10s"');
const stringMap = z.record(z.string(), z.string());
const when = z.strictObject({
  rules: z.array(z.string().min(1)).optional(),
  levels: z.array(z.enum(levels)).optional(),
  minLevel: z.enum(levels).optional(),
  connections: z.array(z.string().min(1)).optional(),
  on: z.array(z.enum(actionEvents)).min(1).optional(),
});
const base = { id: z.string().min(1).optional(), when: when.optional(), timeout: duration.optional() };
const httpUrl = z.string().regex(/^https?:\/\/\S+$/i, 'an http:// or https:// URL');

export const actionConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('command'), command: z.union([z.string().min(1), z.array(z.string()).min(1)]), cwd: z.string().optional(), env: stringMap.optional() }),
  z.strictObject({ ...base, kind: z.literal('webhook'), url: httpUrl.optional(), urlEnv: z.string().min(1).optional(), format: z.enum(['json', 'slack']).optional(), headers: stringMap.optional(), headersEnv: stringMap.optional() })
    .refine((a) => (a.url === undefined) !== (a.urlEnv === undefined), 'a webhook needs exactly one of url and urlEnv'),
  z.strictObject({ ...base, kind: z.literal('alertmanager'), url: httpUrl, labels: stringMap.optional(), generatorUrl: httpUrl.optional(), headers: stringMap.optional(), headersEnv: stringMap.optional() }),
  z.strictObject({ ...base, kind: z.literal('retry'), maxPerHour: z.number().int().min(1).optional() }),
]);

/** The config's `actions:` list; ids must be unique (they key the ledger). */
export const actionsConfigSchema = z.array(actionConfigSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((a, i) => {
    const id = a.id ?? `${a.kind}-${i + 1}`;
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate action id "${id}"` });
    seen.add(id);
  });
});

export const actionSettingsSchema = z.strictObject({ concurrency: z.number().int().min(1).max(64).optional() });

// The schema and the interfaces above must describe the same documents.
type Parsed = z.infer<typeof actionConfigSchema>;
const _schemaMatches: Parsed extends ActionConfig ? (ActionConfig extends Parsed ? true : false) : false = true;
