import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Builds the current renderer sources into a private folder (vite, production mode), so a
 * renderer test sees what it tests and never races another test over out/renderer.
 */
export function buildRendererInto(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'task-status-renderer-'));
  const run = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'src-renderer/vite.config.ts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: root, encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`renderer build failed:\n${run.stdout}\n${run.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
