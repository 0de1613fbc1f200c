import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The app's data folder (config.json, history.db, alert state and logs, the deep-link socket)
 * follows $XDG_CONFIG_HOME on Linux. Every test file gets its own empty one, inherited by the
 * CLI and `serve` processes it starts, so no test reads or writes the real home folder. A test
 * that needs a particular folder sets the variable itself.
 */
process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'task-status-test-data-'));
