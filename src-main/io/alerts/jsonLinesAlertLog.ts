import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertTransition } from '../../contract/alerts.js';
import type { AlertLog } from '../../core/alerts/alertStore.js';

/**
 * The alert log: every transition as one JSON line (the contract's AlertTransition plus `time`,
 * its `at` in ISO 8601), appended in order, for log pipelines (Vector, Fluent Bit, Loki, jq).
 * One write per evaluation keeps the lines of one evaluation together.
 */
export class JsonLinesAlertLog implements AlertLog {
  constructor(readonly path: string) {}

  append(transitions: readonly AlertTransition[]): void {
    if (transitions.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const lines = transitions.map((t) => JSON.stringify({ time: new Date(t.at).toISOString(), ...t })).join('\n');
    appendFileSync(this.path, `${lines}\n`, { mode: 0o600 });
  }
}
