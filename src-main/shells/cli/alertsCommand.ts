import type { CheckResult } from '../../contract/alerts.js';
import { alertLine, runCheck, type CheckOptions } from './check.js';
import { exitCodes } from './messages.js';
import { printable } from './format.js';

/**
 * `task-status alerts`: the rules evaluated over `--window`, then every firing, pending and
 * recently resolved alert, worst first (with `--alert-state FILE`, those of earlier runs too).
 * Exit codes are the views' (0 printed, 2 bad configuration, 3 a connection could not be read):
 * `check` is the command whose exit code is the alert level.
 */
export async function runAlertsCommand(options: CheckOptions): Promise<number> {
  const { result } = await runCheck(options, '5s', true);
  const unread = result.connections.some((c) => c.status === 'unreachable' || c.status === 'unauthorized');
  const exitCode = unread ? exitCodes.connection : exitCodes.printed;
  process.stdout.write(options.json ? `${JSON.stringify({ ...result, exitCode }, null, 2)}\n` : `${renderAlerts(result)}\n`);
  return exitCode;
}

export function renderAlerts(result: CheckResult, timeZone?: string): string {
  const counts = (['firing', 'pending', 'resolved'] as const).map((s) => `${result.alerts.filter((a) => a.state === s).length} ${s}`).join(', ');
  const lines = [`Alerts: ${counts} (status ${result.status}, ${result.evaluatedCount} rule instances evaluated)`];
  for (const a of result.alerts) lines.push(alertLine(a, timeZone));
  for (const c of result.connections) if (c.status !== 'ok') lines.push(`connection ${c.id} (${c.url}): ${c.status}${c.detail ? `: ${printable(c.detail)}` : ''}`);
  return lines.join('\n');
}
