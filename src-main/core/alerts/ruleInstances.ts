import type { AlertRule, QueueAlertFigure } from '../../contract/alerts.js';
import { compareFigure } from './compare.js';
import { connectionFigure, queueFigure, subjectOf, workerFigure, type AlertableConnection } from './alertFigures.js';
import { timeUntilCrossing, type TrendPoint } from './forecast.js';
import { matchesGlob } from './glob.js';

/** One thing a rule judges at one evaluation, with its verdict. */
export interface AlertInstance {
  labels: Record<string, string>;
  connection: string;
  /** The figure; `null` when it cannot be told (the alert's state is then kept, see README.md). */
  value: number | string | null;
  threshold: number | string;
  /** The condition holds. Never true for a `null` value. */
  isMet: boolean;
  /** The clear condition holds (hysteresis). Never true for a `null` value. */
  isCleared: boolean;
  forecastMs?: number | null;
  /** Set for an alert whose instance is not in the snapshot (gone, or not readable). */
  isAbsent?: boolean;
}

/** Whether a connection's per-queue, per-worker and per-task figures can be told at all. */
export function isConnectionDown(c: AlertableConnection): boolean {
  return c.status === 'unreachable' || c.status === 'unauthorized';
}

/** The series a predictive rule's trend is kept under: the figure and the instance's labels. */
export function trendKey(figure: string, labels: Record<string, string>): string {
  return `${figure}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/**
 * Every instance of `rule` in the snapshot. On a connection that is down, the view still holds
 * the last good poll's queues and workers: they are not judged (no instance), so the engine
 * keeps their alerts as they were; the connection's status rules say what happened.
 */
export function instancesOf(rule: AlertRule, connections: readonly AlertableConnection[], now: number,
  trends: ReadonlyMap<string, readonly TrendPoint[]>): AlertInstance[] {
  const { scope, condition } = rule;
  const out: AlertInstance[] = [];
  for (const c of connections) {
    if (scope.connection !== undefined && !matchesGlob(scope.connection, c.id)) continue;
    const subject = subjectOf(condition.figure);
    if (subject === 'connection') {
      if (scope.framework !== undefined && !c.frameworks.includes(scope.framework)) continue;
      const down = isConnectionDown(c);
      const value = condition.figure === 'connectionStatus' || !down ? connectionFigure(c, condition.figure) : null;
      out.push(judge(rule, { connection: c.id }, c.id, value, condition.value));
      continue;
    }
    if (isConnectionDown(c)) continue;
    const frameworkOk = (fw: string) => scope.framework === undefined || scope.framework === fw;
    const queueOk = (queue: string | null) => scope.queue === undefined || (queue !== null && matchesGlob(scope.queue, queue));
    if (subject === 'queue') {
      for (const q of c.queues) {
        if (!frameworkOk(q.framework) || !queueOk(q.queue)) continue;
        const labels = { connection: c.id, framework: q.framework, namespace: q.namespace, queue: q.queue };
        const value = queueFigure(q, condition.figure as QueueAlertFigure, rule);
        if (rule.predict && typeof value === 'number' && typeof condition.value === 'number') {
          const points = trends.get(trendKey(condition.figure, labels)) ?? [];
          const forecastMs = timeUntilCrossing(points, condition.op, condition.value, now, rule.predict.spanMs);
          const isMet = forecastMs !== null && forecastMs <= rule.predict.horizonMs;
          const isCleared = rule.clear ? compareFigure(value, rule.clear.op, rule.clear.value) : !isMet;
          out.push({ labels, connection: c.id, value, threshold: condition.value, isMet, isCleared, forecastMs });
        } else {
          out.push(judge(rule, labels, c.id, value, condition.value));
        }
      }
    } else if (subject === 'worker') {
      for (const w of c.workers) {
        if (!frameworkOk(w.framework)) continue;
        if (scope.queue !== undefined && !(w.queues ?? []).some((q) => matchesGlob(scope.queue!, q))) continue;
        out.push(judge(rule, { connection: c.id, framework: w.framework, worker: w.name }, c.id, workerFigure(w), condition.value));
      }
    } else {
      for (const t of c.runningTasks ?? []) {
        if (!frameworkOk(t.framework) || !queueOk(t.queue)) continue;
        // A run is the task id and its own start: a retry that starts again is a new run.
        const labels: Record<string, string> = { connection: c.id, framework: t.framework, task: t.id, startedAt: String(t.startedAt) };
        if (t.queue !== null) labels.queue = t.queue;
        out.push(judge(rule, labels, c.id, Math.max(0, now - t.startedAt), t.timeoutMs ?? condition.value));
      }
    }
  }
  return out;
}

function judge(rule: AlertRule, labels: Record<string, string>, connection: string, value: number | string | null, threshold: number | string): AlertInstance {
  const isMet = compareFigure(value, rule.condition.op, threshold);
  const isCleared = value !== null && (rule.clear ? compareFigure(value, rule.clear.op, rule.clear.value) : !isMet);
  return { labels, connection, value, threshold, isMet, isCleared };
}
