import type { Alert, Level } from '../../../src-main/contract/alerts.js';
import { levels } from '../../../src-main/contract/alerts.js';
import type { QueueFigures } from '../../../src-main/contract/figures.js';

/** Whether an alert is about this queue: its labels name the queue's connection, framework, name (and namespace, when labelled). */
export function isAboutQueue(alert: Alert, queue: Pick<QueueFigures, 'connection' | 'framework' | 'namespace' | 'queue'>): boolean {
  const { labels } = alert;
  return labels.connection === queue.connection && labels.queue === queue.queue
    && (labels.framework === undefined || labels.framework === queue.framework)
    && (labels.namespace === undefined || labels.namespace === queue.namespace);
}

/** The worst level among the alerts given; `null` when there are none. */
export function worstLevel(alerts: readonly Alert[]): Level | null {
  let worst = -1;
  for (const alert of alerts) worst = Math.max(worst, levels.indexOf(alert.level));
  return worst < 0 ? null : levels[worst]!;
}

/** Firing first, then pending, then resolved; worse levels first; newer first. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  const stateOrder = { firing: 0, pending: 1, resolved: 2, inactive: 3 } as const;
  return [...alerts].sort((a, b) => stateOrder[a.state] - stateOrder[b.state]
    || levels.indexOf(b.level) - levels.indexOf(a.level)
    || (b.firedAt ?? b.activeAt ?? b.evaluatedAt) - (a.firedAt ?? a.activeAt ?? a.evaluatedAt));
}
