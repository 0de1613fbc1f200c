import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/** `task-status serve` running as a user runs it: `node bin/task-status.js serve …`. */
export interface ServeProcess {
  /** The address it printed (with `?token=` when one was given). */
  url: string;
  /** Everything it wrote so far. */
  log(): string;
  /** SIGTERM, as Ctrl-C would; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * The e2e tests run the built product (`npm run build`: dist/ and out/renderer). A build older
 * than its sources would test stale code, so that is refused with the command to run.
 */
export function assertBuilt(): void {
  const checks: Array<[string, string, (path: string) => boolean]> = [
    ['dist/shells/cli/index.js', 'src-main', (path) => path.endsWith('.ts') && !path.includes('/shells/electron/')],
    ['out/renderer/index.html', 'src-renderer', (path) => /\.(ts|svelte|css|html)$/.test(path)],
  ];
  for (const [output, sources, counts] of checks) {
    const built = join(root, output);
    if (!existsSync(built)) throw new Error(`${output} is missing: run \`npm run build\` before the e2e tests`);
    const newest = newestMtime(join(root, sources), counts);
    if (newest > statSync(built).mtimeMs) throw new Error(`${output} is older than ${sources}/: run \`npm run build\` before the e2e tests`);
  }
}

export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/task-status.js'), 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while ((url = /dashboard on (http:\/\/\S+)/.exec(output)?.[1]) === undefined) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`task-status serve did not print its address:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 10_000))]);
      if (code === 'late') {
        child.kill('SIGKILL');
        throw new Error(`task-status serve did not stop on SIGTERM:\n${output}`);
      }
      return code;
    },
  };
}

function newestMtime(dir: string, counts: (path: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && counts(join(entry.parentPath, entry.name))) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
