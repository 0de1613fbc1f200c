import { main } from './main.js';

// The entry `bin/task-status.js` loads: run, then exit with the view's code once output is flushed.
process.exitCode = await main(process.argv.slice(2));
// Connections are closed by then; anything left (a stray timer) must not keep the CLI alive.
setImmediate(() => process.exit());
