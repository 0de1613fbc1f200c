import type { AlertFigure, AlertRule } from '../../contract/alerts.js';

/**
 * One line for the alert log, notifications and the tray tooltip:
 * `Backlog over 1000 — prod rq default: waiting 1523 > 1000`. Values of `…Ms` figures are in
 * seconds or minutes, ratios in percent; an unreadable figure is `?` (as in the CLI).
 */
export function summaryOf(rule: Pick<AlertRule, 'name' | 'condition'>, labels: Record<string, string>, value: number | string | null,
  threshold: number | string, forecastMs?: number | null): string {
  const where = [labels.connection, labels.framework, labels.queue ?? labels.worker, labels.task ? `task ${labels.task}` : undefined]
    .filter((part) => part !== undefined && part !== '').join(' ');
  const { figure, op } = rule.condition;
  const forecast = forecastMs === undefined ? ''
    : forecastMs === null ? ', trend unknown' : forecastMs === 0 ? ', already across' : `, crossing in ${formatFigure('x', forecastMs, 'Ms')}`;
  // A status compared for equality reads as the status itself: `prod: connectionStatus unreachable`.
  const comparison = typeof threshold === 'string' && op === '==' && value === threshold ? `${figure} ${value}`
    : `${figure} ${formatFigure(figure, value)} ${op} ${formatFigure(figure, threshold)}`;
  return `${rule.name} — ${where}: ${comparison}${forecast}`;
}

function formatFigure(figure: AlertFigure | string, value: number | string | null, unit?: 'Ms'): string {
  if (value === null) return '?';
  if (typeof value === 'string') return value;
  if (unit === 'Ms' || figure.endsWith('Ms')) {
    if (Math.abs(value) < 120_000) return `${round(value / 1000, 1)} s`;
    return `${round(value / 60_000, 1)} min`;
  }
  if (figure.endsWith('Ratio')) return `${round(value * 100, 2)}%`;
  return String(round(value, 2));
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
