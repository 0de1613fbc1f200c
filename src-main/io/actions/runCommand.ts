import { spawn } from 'node:child_process';

export interface CommandOptions {
  command: string | readonly string[];
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** After SIGTERM, how long the group has before SIGKILL (default 2 s). */
  killGraceMs?: number;
}

export interface CommandResult {
  outcome: 'ok' | 'failed' | 'timeout';
  /** `exit code 0`, `exit code 2`, `killed by SIGTERM`, `killed after 5000 ms`, `could not start: ENOENT`. */
  detail: string;
  exitCode: number | null;
  /** stdout then stderr, each cut at {@link outputLimit} bytes. */
  output: string;
  durationMs: number;
}

export const outputLimit = 16 * 1024;

/**
 * Runs a hook with a time limit. On POSIX the child leads its own process group (`detached`),
 * so a timeout kills the whole group: a shell's children (`sh -c "scale.sh"`, which forks the
 * real work) die with it instead of living on. On Windows `taskkill /T` kills the tree.
 * Never rejects: every failure is a result to log.
 */
export function runCommand(options: CommandOptions, platform: NodeJS.Platform = process.platform): Promise<CommandResult> {
  const started = performance.now();
  const isShell = typeof options.command === 'string';
  const [file, ...args] = isShell ? [options.command as string] : options.command as readonly string[];
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let settled = false;
    const child = spawn(file!, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      shell: isShell,
      detached: platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < outputLimit) out.push(chunk.subarray(0, outputLimit - outBytes));
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < outputLimit) err.push(chunk.subarray(0, outputLimit - errBytes));
      errBytes += chunk.length;
    });
    const finish = (outcome: CommandResult['outcome'], detail: string, exitCode: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      const output = [Buffer.concat(out).toString('utf8') + (outBytes > outputLimit ? '\n[stdout cut]' : ''),
        Buffer.concat(err).toString('utf8') + (errBytes > outputLimit ? '\n[stderr cut]' : '')].filter((s) => s !== '').join('\n');
      resolve({ outcome, detail, exitCode, output, durationMs: Math.round(performance.now() - started) });
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child.pid, 'SIGTERM', platform);
      killTimer = setTimeout(() => killTree(child.pid, 'SIGKILL', platform), options.killGraceMs ?? 2000);
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => finish('failed', `could not start: ${error.code ?? error.message}`, null));
    // 'close' waits for the pipes: a grandchild still holding them keeps it back until killed.
    child.on('close', (code, signal) => {
      if (timedOut) finish('timeout', `killed after ${options.timeoutMs} ms`, code);
      else if (code === 0) finish('ok', 'exit code 0', 0);
      else finish('failed', code !== null ? `exit code ${code}` : `killed by ${signal}`, code);
    });
  });
}

function killTree(pid: number | undefined, signal: NodeJS.Signals, platform: NodeJS.Platform): void {
  if (pid === undefined) return;
  try {
    if (platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    else process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
