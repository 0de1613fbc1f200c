import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The static checks run as tests, so `npm test` is one runner with one count: the type-check of
 * main and preload against Electron's own typings (the only check of the Electron shell against
 * the real API on machines that cannot run Electron), svelte-check of the renderer, and lint.
 */
function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: process.cwd() });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.trim() };
}

describe('static checks', () => {
  it('src-main (main, preload, CLI, web) type-checks against electron.d.ts', () => {
    const r = run('npx', ['tsc', '-p', 'tsconfig.main.json', '--noEmit']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('tests and tooling type-check', () => {
    const r = run('npx', ['tsc', '-p', 'tsconfig.test.json', '--noEmit']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the renderer passes svelte-check with no warnings', () => {
    const r = run('npx', ['svelte-check', '--tsconfig', './tsconfig.renderer.json', '--fail-on-warnings', '--output', 'machine']);
    expect(r.output).toMatch(/COMPLETED \d+ FILES 0 ERRORS 0 WARNINGS/);
    expect(r.status).toBe(0);
  });

  it('lint, including the layer rules, is clean', () => {
    const r = run('npx', ['eslint', '--max-warnings', '0', '.']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
