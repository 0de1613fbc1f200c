import type { Alert, AlertTransition, Snooze } from '../../contract/alerts.js';

/** What survives a restart: open and recently resolved alerts, and snoozes (trends are rebuilt). */
export interface PersistedAlerts {
  /** Format version of the state file. */
  version: 1;
  alerts: Alert[];
  snoozes: Snooze[];
  evaluatedAt: number | null;
}

/**
 * Where the alert pipeline keeps its state across restarts and config reloads (a port that io
 * implements; FileAlertStore writes a JSON file atomically). Calls are synchronous on purpose:
 * the files are small, the pipeline is their one writer, and a transition is on disk before
 * anyone is told about it.
 */
export interface AlertStore {
  /** The state last saved; `null` when there is none (first run) or it cannot be read. */
  load(): PersistedAlerts | null;
  save(state: PersistedAlerts): void;
}

/** The alert log: every transition appended as one JSON line, for log pipelines. */
export interface AlertLog {
  append(transitions: readonly AlertTransition[]): void;
}
