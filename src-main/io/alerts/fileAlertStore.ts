import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertStore, PersistedAlerts } from '../../core/alerts/alertStore.js';

/**
 * Alert state in one JSON file, so open incidents (and what was already notified about them)
 * survive a restart: a firing alert is not announced again after the app restarts, and its
 * recovery is still announced. Written atomically (a temporary file in the same folder, then a
 * rename), so a crash mid-write leaves the previous state, never half a file.
 */
export class FileAlertStore implements AlertStore {
  constructor(readonly path: string, readonly onError: (message: string) => void = () => {}) {}

  load(): PersistedAlerts | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(`alert state ${this.path}: ${(error as Error).message}`);
      return null;
    }
    try {
      const data = JSON.parse(text) as Partial<PersistedAlerts>;
      if (data.version !== 1 || !Array.isArray(data.alerts) || !Array.isArray(data.snoozes)) throw new Error('not an alert state file of version 1');
      return { version: 1, alerts: data.alerts, snoozes: data.snoozes, evaluatedAt: typeof data.evaluatedAt === 'number' ? data.evaluatedAt : null };
    } catch (error) {
      // A damaged file starts afresh rather than stopping the monitor; the next save replaces it.
      this.onError(`alert state ${this.path} is unreadable (${(error as Error).message}); starting with no open alerts`);
      return null;
    }
  }

  save(state: PersistedAlerts): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
