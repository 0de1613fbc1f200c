import type { Alert } from '../../contract/alerts.js';
import type { ApiError } from '../../contract/errors.js';
import type { OverallStatus, StatusVerdict } from '../../core/status/overallStatus.js';
import { alertLinesOf, firingInWords, trayStatusOf, type AlertLine } from './trayAlerts.js';
import { connectionInWords, errorInWords, reasonInWords, statusName } from './statusWords.js';

/** The tray's context menu as data; tray.ts turns it into an Electron Menu. */
export type MenuEntry =
  | { kind: 'open'; label: string }
  | { kind: 'headline'; label: string }
  | { kind: 'connection'; id: string; label: string }
  /** A firing or recently recovered alert: opens its queue or task (Linux's route when a notification click is lost), acknowledge, snooze. */
  | ({ kind: 'alert' } & Omit<AlertLine, 'shortLabel'>)
  | { kind: 'more'; label: string }
  | { kind: 'separator' }
  | { kind: 'quit'; label: string };

/** Everything the tray shows for one status verdict. */
export interface TrayView {
  status: OverallStatus;
  /** Status and every connection in words (the icon alone may not repaint: electron#54152). */
  tooltip: string;
  /** Short text beside a macOS template icon, whose colour is lost; empty when ok. */
  title: string;
  menu: MenuEntry[];
}

/** Windows cuts tray tooltips at 127 characters (NOTIFYICONDATA.szTip holds 128). */
export const tooltipMaxLength = 127;
/** Broker error details can be long; a menu line stays readable. */
export const menuLabelMaxLength = 90;

const titles: Record<OverallStatus, string> = {
  ok: '',
  warning: 'WARN',
  error: 'ERR',
  critical: 'CRIT',
  emergency: 'EMERG',
  stale: 'STALE',
};

/** The tray before the first dashboard arrives: nothing can be told yet. */
export function waitingTrayView(): TrayView {
  const headline = 'Stale: waiting for the first poll';
  return { status: 'stale', tooltip: `task-status: ${headline}`, title: titles.stale, menu: menuOf(headline, []) };
}

/** The tray when the monitor could not start (a config it cannot use): nothing can be evaluated. */
export function problemTrayView(problem: ApiError): TrayView {
  const headline = `Stale: not monitoring (${errorInWords(problem)})`;
  return { status: 'stale', tooltip: truncate(`task-status: ${headline}`, tooltipMaxLength), title: titles.stale, menu: menuOf(headline, []) };
}

/**
 * The tray for a verdict and the open alerts: the icon is the worst firing level (else ok or
 * stale); tooltip and menu say the status in words, list what fires (level first, in words) and
 * each connection with its status and reason, because colour must never be the only signal.
 */
export function trayViewOf(verdict: StatusVerdict, alerts: readonly Alert[] = []): TrayView {
  const status = trayStatusOf(verdict.status, alerts);
  const firing = firingInWords(alerts);
  const connectionsHeadline = reasonInWords(verdict.reason);
  // With alerts firing, what the connections say is added when it is a problem (stale, down).
  const headline = firing === null ? `${statusName(status)}: ${connectionsHeadline}`
    : `${statusName(status)}: ${firing}${verdict.status !== 'ok' ? `; ${connectionsHeadline}` : ''}`;
  const { lines: alertLines, moreCount } = alertLinesOf(alerts);
  const lines = verdict.connections.map((c) => ({ id: c.id, label: connectionInWords(c) }));
  const tooltip = truncate([`task-status: ${headline}`, ...alertLines.filter((a) => a.isFiring).map((a) => a.shortLabel), ...lines.map((l) => l.label)].join('\n'), tooltipMaxLength);
  const alertEntries = [
    ...alertLines.map(({ shortLabel: _short, ...a }): MenuEntry => ({ kind: 'alert', ...a, label: truncate(a.label, menuLabelMaxLength) })),
    ...(moreCount > 0 ? [{ kind: 'more', label: `and ${moreCount} more…` } as const] : []),
  ];
  return { status, tooltip, title: titles[status], menu: menuOf(headline, lines, alertEntries) };
}

/** "Open window" first (Linux desktops may never deliver a click on the icon), Quit last. */
function menuOf(headline: string, lines: Array<{ id: string; label: string }>, alertEntries: MenuEntry[] = []): MenuEntry[] {
  return [
    { kind: 'open', label: 'Open window' },
    { kind: 'separator' },
    { kind: 'headline', label: truncate(headline, menuLabelMaxLength) },
    ...alertEntries,
    ...(alertEntries.length ? [{ kind: 'separator' } as const] : []),
    ...lines.map((l): MenuEntry => ({ kind: 'connection', id: l.id, label: truncate(l.label, menuLabelMaxLength) })),
    { kind: 'separator' },
    { kind: 'quit', label: 'Quit task-status' },
  ];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
