import { join } from 'node:path';
import { FileActionLedger, type ActionLedger } from './actionLedger.js';
import { actionLogLine, jsonLinesActionLog, type ActionLog } from './actionLog.js';
import { createActions, type Action } from './actions.js';
import { actionsOfConfig } from './actionsConfig.js';
import { noTaskRetrier, type TaskRetrier } from './taskRetrier.js';

/** The pieces an ActionDispatcher (monitor) runs, built from the config; bootstrap joins them. */
export interface ActionsSetup {
  actions: Action[];
  ledger: ActionLedger;
  log: ActionLog;
  concurrency: number;
  /** Resolves once every entry logged so far is in the file (on close). */
  flush(): Promise<void>;
}

export interface ActionsSetupDeps {
  /** Where the ledger and the action log live (the tray app's data folder). */
  dir: string;
  env: Readonly<Record<string, string | undefined>>;
  now(): number;
  /** One line per failed run and per file problem (stderr, the app's log). */
  warn(line: string): void;
  retrier?: TaskRetrier;
}

export const actionLogFile = 'alert-actions.log';
export const actionLedgerFile = 'alert-actions-ledger.json';

/**
 * The config's `actions:` made runnable, or `null` when it lists none (then no file is touched).
 * Throws BAD_CONFIG for a wrong entry, like the rest of the config. Every run is one JSON line
 * in `alert-actions.log`; failures are also told through `warn`.
 */
export function actionsFromConfig(document: object, source: string, deps: ActionsSetupDeps): ActionsSetup | null {
  const { actions, settings } = actionsOfConfig(document, source);
  if (actions.length === 0) return null;
  const file = jsonLinesActionLog(join(deps.dir, actionLogFile), deps.warn);
  return {
    actions: createActions(actions, { env: deps.env, retrier: deps.retrier ?? noTaskRetrier, now: deps.now }),
    ledger: new FileActionLedger(join(deps.dir, actionLedgerFile), deps.warn),
    log: (entry) => {
      file(entry);
      if (entry.outcome !== 'ok' && entry.outcome !== 'skipped') deps.warn(actionLogLine(entry));
    },
    concurrency: settings.concurrency ?? 4,
    flush: () => file.flush(),
  };
}
