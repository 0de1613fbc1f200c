import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Alert, CheckResult } from '../../contract/alerts.js';
import type { DashboardView } from '../../contract/dashboard.js';
import { createApp } from '../../bootstrap/createApp.js';
import { alertsFromConfig, type ResolvedAlertsConfig } from '../../core/alerts/alertsConfig.js';
import { parseDuration } from '../../core/config/configSchema.js';
import { checkExitCode, overallStatusWithAlerts } from '../../core/status/alertStatus.js';
import { connectionHealthOf } from '../../core/status/connectionHealth.js';
import { FileAlertStore } from '../../io/alerts/fileAlertStore.js';
import { JsonLinesAlertLog } from '../../io/alerts/jsonLinesAlertLog.js';
import { readConfigFile } from '../../io/config/readConfigFile.js';
import { trayConfigPath } from '../../io/config/trayConfigPath.js';
import { formatTime, printable } from './format.js';
import { loadConfig, type ConnectionOptions } from './loadConfig.js';
import { progress } from './progress.js';

export interface CheckOptions extends ConnectionOptions {
  json?: boolean;
  window?: string;
  /** Carry alert state across runs in this file (cron: `for` durations, what was already firing). */
  alertState?: string;
  /** Append every transition to this alert log (JSON lines). */
  alertLog?: string;
}

/** One evaluation of the rules, as `check` and `alerts` print it. */
export interface CheckRun {
  result: CheckResult;
  view: DashboardView;
}

/**
 * The alert settings a CLI run uses: those of `--config FILE`, else of the tray app's config file
 * when it exists (the same rules the tray app fires), else the defaults.
 */
export function cliAlertsConfig(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): ResolvedAlertsConfig {
  if (options.config) return alertsFromConfig(readConfigFile(options.config), options.config);
  const tray = trayConfigPath(process.platform, env, homedir());
  return existsSync(tray) ? alertsFromConfig(readConfigFile(tray), tray) : alertsFromConfig(undefined, 'defaults');
}

/**
 * Polls every connection for `--window` (every poll interval, so a rule's `for` can elapse
 * within it), evaluating the rules after each poll exactly as the tray app does, and returns the
 * last evaluation. The CLI keeps alert state and writes an alert log only when asked
 * (`--alert-state`, `--alert-log`; a `alertLog`/`alertState` path in the config file counts as asked).
 */
export async function runCheck(options: CheckOptions, defaultWindow: string, includeResolved: boolean): Promise<CheckRun> {
  const config = loadConfig(options);
  const alerts = cliAlertsConfig(options);
  const windowMs = parseDuration(options.window ?? defaultWindow, '--window');
  const statePath = options.alertState ?? (typeof alerts.alertState === 'string' ? alerts.alertState : undefined);
  const logPath = options.alertLog ?? (typeof alerts.alertLog === 'string' ? alerts.alertLog : undefined);
  const app = createApp({
    config,
    session: { sampleIntervalMs: 0 },
    alerts: {
      rules: alerts.rules,
      maintenance: alerts.maintenance,
      ...(statePath ? { store: new FileAlertStore(statePath, (m) => process.stderr.write(`task-status: ${m}\n`)) } : {}),
      ...(logPath ? { log: new JsonLinesAlertLog(logPath) } : {}),
    },
  });
  try {
    const clock = app.monitor.clock;
    const done = progress(`reading ${config.connections.length === 1 ? config.connections[0]!.url : `${config.connections.length} connections`}`);
    const startedAt = clock.now();
    let view = await app.monitor.pollAll();
    if (windowMs > 0) done(`evaluating alert rules over ${Math.round(windowMs / 1000)} s (--window 0 to skip)`);
    while (clock.now() - startedAt < windowMs) {
      await clock.sleep(Math.min(config.pollIntervalMs, windowMs - (clock.now() - startedAt)));
      view = await app.monitor.pollAll();
    }
    await app.alertsSettled();
    done();
    const alertsView = app.alerts.view({ includeResolved });
    const now = view.generatedAt;
    const verdict = overallStatusWithAlerts(view.connections, alertsView.alerts, now, config.pollIntervalMs);
    const evaluatedCount = app.alerts.evaluatedCount;
    const connections = view.connections.map((c) => {
      const health = connectionHealthOf(c, now, config.pollIntervalMs);
      return { id: c.id, url: c.url, status: health.status, detail: c.statusReason?.detail ?? null };
    });
    return {
      view,
      result: {
        status: verdict.status, exitCode: checkExitCode(verdict.status, evaluatedCount), evaluatedAt: alertsView.evaluatedAt,
        evaluatedCount, alerts: alertsView.alerts, connections,
      },
    };
  } finally {
    await app.close();
  }
}

const statusWords = { ok: 'OK', warning: 'WARNING', error: 'ERROR', critical: 'CRITICAL', emergency: 'EMERGENCY', stale: 'UNKNOWN' } as const;

/**
 * `task-status check`: a monitoring-plugin first line (`TASK-STATUS CRITICAL - 2 firing: …`),
 * then one line per firing and pending alert and per connection not read. Exit code 0 ok,
 * 1 warning, 2 error, critical or emergency, 3 unknown.
 */
export async function runCheckCommand(options: CheckOptions): Promise<number> {
  const { result } = await runCheck(options, '5s', false);
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderCheck(result)}\n`);
  return result.exitCode;
}

export function renderCheck(result: CheckResult, timeZone?: string): string {
  const firing = result.alerts.filter((a) => a.state === 'firing');
  const pending = result.alerts.filter((a) => a.state === 'pending');
  const unknown = result.status === 'ok' && result.exitCode === 3;
  const word = unknown ? 'UNKNOWN' : statusWords[result.status];
  const down = result.connections.filter((c) => c.status === 'unreachable' || c.status === 'unauthorized');
  const headline = firing.length ? `${firing.length} firing: ${firing.map((a) => a.summary).join('; ')}`
    : down.length ? `${down.map((c) => `${c.id} ${c.status}`).join(', ')} (its rule is disabled, the broker is down all the same)`
    : result.status === 'stale' ? `stale: ${result.connections.filter((c) => c.status === 'stale').map((c) => c.id).join(', ')} not read`
      : unknown ? 'nothing could be evaluated' : `${result.evaluatedCount} rule instances evaluated, none firing`;
  const lines = [`TASK-STATUS ${word} - ${printable(headline)}`];
  for (const a of firing) lines.push(alertLine(a, timeZone));
  for (const a of pending) lines.push(alertLine(a, timeZone));
  for (const c of result.connections) if (c.status !== 'ok') lines.push(`connection ${c.id} (${c.url}): ${c.status}${c.detail ? `: ${printable(c.detail)}` : ''}`);
  return lines.join('\n');
}

/** `CRITICAL firing since 2026-12-04 08:01:02 UTC  Failure rate over 5% — prod rq default: failureRatio 12% > 5%`. */
export function alertLine(a: Alert, timeZone?: string): string {
  const since = a.state === 'firing' ? `firing since ${formatTime(a.firedAt, timeZone)}`
    : a.state === 'pending' ? `pending since ${formatTime(a.activeAt, timeZone)}`
      : `resolved at ${formatTime(a.resolvedAt, timeZone)}`;
  const marks = [a.acknowledgedAt !== null ? 'acknowledged' : ''].filter(Boolean);
  return `${a.level.toUpperCase().padEnd(9)} ${since}  ${printable(a.summary)}${marks.length ? ` (${marks.join(', ')})` : ''}`;
}
