#!/usr/bin/env node
// The task-status command. The TypeScript sources are compiled to dist/ by `npm install`
// (the prepare script) or `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/shells/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('task-status: not built yet: run `npm install` (or `npm run build`) in the task-status folder\n');
  process.exit(2);
}
await import(entry.href);
