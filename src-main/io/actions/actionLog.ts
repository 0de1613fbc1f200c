import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ActionLogEntry } from '../../contract/actions.js';

/** Where action outcomes go: one structured entry per run (or skip). Must not throw. */
export type ActionLog = (entry: ActionLogEntry) => void;

/**
 * Appends each entry as one JSON line (for log pipelines, like the alert log), in order. A write
 * that fails is reported through `warn` once per failure and never stops the monitor.
 */
export function jsonLinesActionLog(path: string, warn: (message: string) => void = () => {}): ActionLog & { flush(): Promise<void> } {
  let chain: Promise<void> = mkdir(dirname(path), { recursive: true }).then(() => {}, () => {});
  const log = (entry: ActionLogEntry) => {
    chain = chain.then(() => appendFile(path, `${JSON.stringify(entry)}\n`)).catch((error: Error) => warn(`action log ${path}: ${error.message}`));
  };
  return Object.assign(log, { flush: () => chain });
}

/** One readable line per entry, for a console or a CLI's stderr. */
export function actionLogLine(entry: ActionLogEntry): string {
  const took = entry.durationMs !== undefined ? ` in ${entry.durationMs} ms` : '';
  return `action ${entry.actionId} (${entry.kind}) ${entry.event} ${entry.alertKey}: ${entry.outcome}, ${entry.detail}${took}`;
}
