import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActionLogEntry } from '../../contract/taskList.js';

/**
 * The actions log: one JSON line per action asked for (done, refused or failed), appended to
 * `actions.log` in the app's data folder, readable by the user only. Written synchronously so
 * that a line exists before the answer leaves. A log that cannot be written does not stop the
 * action's answer; the reason goes to stderr.
 */
export function createActionLog(path: string): (entry: ActionLogEntry) => void {
  return (entry) => {
    try {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (error) {
      process.stderr.write(`task-status: the actions log ${path} could not be written: ${(error as Error).message}\n`);
    }
  };
}
