import type { Framework } from '../contract/figures.js';
import type { FinishedSample, ProbeReading } from '../contract/snapshot.js';
import type { WaitingPoint } from '../core/metrics/drainEta.js';
import type { ProbeNamespace, QueueProbe } from '../probes/probe.js';

/**
 * One framework namespace in one database of a connection, with everything the monitor keeps
 * for it between polls. Only the owning ConnectionSession writes these fields.
 */
export interface Target {
  key: string;
  probe: QueueProbe<unknown, unknown>;
  ns: ProbeNamespace;
  discovery: unknown;
  /** Folded event state (Celery), owned here and handed to the probe. */
  events: unknown;
  previous: ProbeReading | null;
  samples: Map<string, FinishedSample>;
  sampledAt: number | null;
  trends: Map<string, WaitingPoint[]>;
}

export function targetKey(framework: Framework, db: number, prefix: string): string {
  return `${framework}|${db}|${prefix}`;
}

/** How a namespace is named to people: `db0`, `db0 qlab:`. */
export function namespaceLabel(ns: ProbeNamespace): string {
  return ns.prefix ? `db${ns.db} ${ns.prefix}` : `db${ns.db}`;
}

/** Appends a waiting count and keeps only the last `keepMs` of the trend. */
export function pushTrend(trends: Map<string, WaitingPoint[]>, queue: string, point: WaitingPoint, keepMs: number): WaitingPoint[] {
  const series = (trends.get(queue) ?? []).filter((p) => p.at >= point.at - keepMs && p.at < point.at);
  series.push(point);
  trends.set(queue, series);
  return series;
}
