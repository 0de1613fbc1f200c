import type { ApiError } from '../../contract/errors.js';
import type { OverallStatus, StatusVerdict } from '../../core/status/overallStatus.js';
import { connectionInWords, errorInWords, reasonInWords, statusName } from './statusWords.js';

/** The tray's context menu as data; tray.ts turns it into an Electron Menu. */
export type MenuEntry =
  | { kind: 'open'; label: string }
  | { kind: 'headline'; label: string }
  | { kind: 'connection'; id: string; label: string }
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
 * The tray for a verdict: tooltip and menu both say the status in words and list each
 * connection with its status and reason, because colour must never be the only signal.
 */
export function trayViewOf(verdict: StatusVerdict): TrayView {
  const headline = `${statusName(verdict.status)}: ${reasonInWords(verdict.reason)}`;
  const lines = verdict.connections.map((c) => ({ id: c.id, label: connectionInWords(c) }));
  const tooltip = truncate([`task-status: ${headline}`, ...lines.map((l) => l.label)].join('\n'), tooltipMaxLength);
  return { status: verdict.status, tooltip, title: titles[verdict.status], menu: menuOf(headline, lines) };
}

/** "Open window" first (Linux desktops may never deliver a click on the icon), Quit last. */
function menuOf(headline: string, lines: Array<{ id: string; label: string }>): MenuEntry[] {
  return [
    { kind: 'open', label: 'Open window' },
    { kind: 'separator' },
    { kind: 'headline', label: truncate(headline, menuLabelMaxLength) },
    ...lines.map((l): MenuEntry => ({ kind: 'connection', id: l.id, label: truncate(l.label, menuLabelMaxLength) })),
    { kind: 'separator' },
    { kind: 'quit', label: 'Quit task-status' },
  ];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
