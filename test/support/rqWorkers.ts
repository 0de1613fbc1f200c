import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PrivateRedis } from './redisServer.js';

/**
 * Real RQ workers for tests: Debian's `/usr/bin/rq worker` (python3-rq 1.13 on /usr/bin/python3,
 * not the pyenv python on PATH) against a private redis-server, running the jobs of
 * test/support/python/rq/rq_jobs.py. Each worker runs in its own process group, so that its
 * work horse and scheduler child are stopped with it.
 */
export const rqPythonDir = join(import.meta.dirname, 'python', 'rq');
const python = '/usr/bin/python3';

export interface RqWorker {
  name: string;
  pid: number;
  /** Output so far, for failure messages. */
  log(): string;
  /** Warm shutdown (SIGTERM to the worker process), as a deploy does; resolves once it exited. */
  stop(): Promise<void>;
  /** SIGKILL to the worker process alone, as the OOM killer does; its children are left as they are. */
  kill(): Promise<void>;
  /** SIGKILL to the whole process group: test clean-up, leaves nothing behind. */
  destroy(): Promise<void>;
}

export interface RqWorkerOptions {
  db: number;
  queues: string[];
  name: string;
  withScheduler?: boolean;
}

const running = new Set<RqWorker>();

export async function startRqWorker(redis: PrivateRedis, options: RqWorkerOptions): Promise<RqWorker> {
  const args = ['worker', '--url', redis.url(options.db), '--name', options.name, '--path', rqPythonDir];
  if (options.withScheduler) args.push('--with-scheduler');
  const child = spawn('/usr/bin/rq', [...args, ...options.queues], {
    cwd: rqPythonDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPATH: rqPythonDir, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // RQ's work horse calls setsid(), so it leaves the group: its pid is noted before any signal.
  const descendants = new Set<number>();
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    for (const pid of descendantsOf(child.pid!)) descendants.add(pid);
    try { process.kill(child.pid!, sig); } catch { /* already gone */ }
    await exited;
  };
  const worker: RqWorker = {
    name: options.name, pid: child.pid!, log: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    destroy: async () => {
      if (child.exitCode === null && child.signalCode === null) for (const pid of descendantsOf(child.pid!)) descendants.add(pid);
      for (const pid of [-child.pid!, ...descendants]) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      running.delete(worker);
    },
  };
  running.add(worker);
  await waitFor(() => redis.cli(['SISMEMBER', 'rq:workers', `rq:worker:${options.name}`], options.db) === '1'
    && redis.cli(['CLIENT', 'LIST']).includes(`name=${options.name} `), `worker ${options.name} to register`, child, () => output);
  return worker;
}

/** Every process below `pid` (children, grandchildren), from `ps`. */
function descendantsOf(pid: number): number[] {
  const table = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) if (ppid === parent) { found.push(child); walk(child); }
  };
  walk(pid);
  return found;
}

/** Stops every worker still running, and the processes they started (afterAll). */
export async function destroyAllRqWorkers(): Promise<void> {
  await Promise.all([...running].map((w) => w.destroy()));
}

/** Runs test/support/python/rq/rq_tool.py: RQ's own view (enqueue, report, job). */
export function rqTool<T = unknown>(redis: PrivateRedis, db: number, command: 'enqueue' | 'report' | 'job', argument: unknown): T {
  const run = spawnSync(python, [join(rqPythonDir, 'rq_tool.py'), redis.url(db), command, JSON.stringify(argument)], {
    cwd: rqPythonDir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: rqPythonDir },
  });
  if (run.status !== 0) throw new Error(`rq_tool ${command}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Polls a condition every 50 ms until it holds (20 s at most). */
export async function waitFor(check: () => boolean, what: string, child?: ChildProcess, log?: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline || (child && child.exitCode !== null)) {
      throw new Error(`timed out waiting for ${what}${log ? `\n${log().slice(-2000)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
