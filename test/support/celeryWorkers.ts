import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Real Celery workers for tests: Debian's celery 5.2.6 on `/usr/bin/python3` (not the pyenv
 * python on PATH) running test/support/python/celery/tsapp.py against a private redis-server.
 * Each worker runs in its own process group, so its prefork children stop with it.
 */
export const celeryPythonDir = join(import.meta.dirname, 'python', 'celery');
const python = '/usr/bin/python3';

/** The app's settings, passed as environment (see tsapp.py). */
export interface CeleryAppSettings {
  brokerUrl: string;
  backendUrl?: string;
  keyPrefix?: string;
  prioritySteps?: number[];
  sep?: string;
  trackStarted?: boolean;
  resultExtended?: boolean;
  /** task_send_sent_event on the producer. */
  sentEvent?: boolean;
  serializer?: 'json' | 'pickle';
  protocol?: 1 | 2;
  prefetch?: number;
  acksLate?: boolean;
  /** fanout_prefix=False: events published on `celeryev/<rk>`, without the database. */
  noFanoutPrefix?: boolean;
}

export function appEnv(app: CeleryAppSettings): NodeJS.ProcessEnv {
  const flag = (b: boolean | undefined) => (b ? '1' : '0');
  return {
    ...process.env,
    PYTHONPATH: celeryPythonDir,
    PYTHONUNBUFFERED: '1',
    // Pickle-accepting workers refuse to run as root without it (the build machines run as root).
    C_FORCE_ROOT: '1',
    TS_BROKER_URL: app.brokerUrl,
    TS_BACKEND_URL: app.backendUrl ?? '',
    TS_KEYPREFIX: app.keyPrefix ?? '',
    TS_PRIORITY_STEPS: app.prioritySteps?.join(',') ?? '',
    TS_SEP: app.sep ?? '',
    TS_TRACK_STARTED: flag(app.trackStarted),
    TS_RESULT_EXTENDED: flag(app.resultExtended),
    TS_SENT_EVENT: flag(app.sentEvent),
    TS_SERIALIZER: app.serializer ?? 'json',
    TS_PROTOCOL: String(app.protocol ?? 2),
    TS_PREFETCH: String(app.prefetch ?? 4),
    TS_ACKS_LATE: flag(app.acksLate),
    TS_FANOUT_PREFIX: app.noFanoutPrefix ? '0' : '1',
  };
}

export interface CeleryWorkerOptions {
  app: CeleryAppSettings;
  /** Node name, e.g. `w1@test`. */
  name: string;
  queues: string[];
  /** -E: send task events (heartbeats are sent either way). */
  events: boolean;
  concurrency?: number;
  /** Seconds between worker-heartbeat events (Celery's default 2). */
  heartbeatInterval?: number;
}

export interface CeleryWorker {
  name: string;
  pid: number;
  log(): string;
  /** Warm shutdown (SIGTERM): finishes running tasks, sends worker-offline; resolves on exit. */
  stop(): Promise<void>;
  /** SIGKILL to the main process only, as the OOM killer does (no worker-offline). */
  kill(): Promise<void>;
  /** SIGKILL to the whole process group: clean-up that leaves nothing behind. */
  destroy(): Promise<void>;
}

const running = new Set<CeleryWorker>();

export async function startCeleryWorker(options: CeleryWorkerOptions): Promise<CeleryWorker> {
  const args = ['-m', 'celery', '-A', 'tsapp', 'worker', '-n', options.name, '-Q', options.queues.join(','),
    '-c', String(options.concurrency ?? 2), '--loglevel', 'INFO', '--without-mingle', '--without-gossip',
    '--heartbeat-interval', String(options.heartbeatInterval ?? 2)];
  if (options.events) args.push('-E');
  const child = spawn(python, args, { cwd: celeryPythonDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: appEnv(options.app) });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(child.pid!, sig); } catch { /* already gone */ }
    await exited;
  };
  const worker: CeleryWorker = {
    name: options.name, pid: child.pid!, log: () => output,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    destroy: async () => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      running.delete(worker);
    },
  };
  running.add(worker);
  const deadline = Date.now() + 30_000;
  while (!/ ready\.\s*$/m.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await worker.destroy();
      throw new Error(`celery worker ${options.name} did not start:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return worker;
}

/** Stops every worker still running (afterAll). */
export async function destroyAllCeleryWorkers(): Promise<void> {
  await Promise.all([...running].map((w) => w.destroy()));
}

/** A task to send through send.py. */
export interface TaskToSend {
  task: 'add' | 'fail' | 'sleep' | 'flaky' | 'raise_exc';
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  queue?: string;
  priority?: number;
  countdown?: number;
  id?: string;
  count?: number;
}

/** Sends tasks as a producer of the app does; returns their ids in order. */
export function sendTasks(app: CeleryAppSettings, tasks: TaskToSend[]): string[] {
  const run = spawnSync(python, [join(celeryPythonDir, 'send.py'), JSON.stringify(tasks)], { cwd: celeryPythonDir, encoding: 'utf8', env: appEnv(app) });
  if (run.status !== 0) throw new Error(`send.py: ${run.stderr}`);
  return run.stdout.trim().split('\n').filter(Boolean);
}

/** `celery inspect <command> --json`: Celery's own answer, per worker node name. */
export function celeryInspect<T = unknown>(app: CeleryAppSettings, command: 'active' | 'reserved' | 'scheduled' | 'stats' | 'ping', destination?: string[]): Record<string, T> {
  const args = ['-m', 'celery', '-A', 'tsapp', 'inspect', command, '--json', '--timeout', '3'];
  if (destination) args.push('--destination', destination.join(','));
  const run = spawnSync(python, args, { cwd: celeryPythonDir, encoding: 'utf8', env: appEnv(app) });
  const line = run.stdout.trim().split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`celery inspect ${command}: ${run.stdout}${run.stderr}`);
  return JSON.parse(line) as Record<string, T>;
}

/** Celery's own event state (celery.events.state.State, as Flower keeps it), for comparison. */
export interface CelerySnapshot {
  at: number;
  workers: Record<string, { alive: boolean; active: number | null; processed: number | null; freq: number }>;
  tasks: Record<string, {
    state: string; name: string | null; sent: number | null; received: number | null; started: number | null;
    succeeded: number | null; failed: number | null; retried: number | null; runtime: number | null;
    worker: string | null; routing_key: string | null; retries: number | null; exception: string | null;
  }>;
}

export interface CeleryCapture {
  snapshot(): Promise<CelerySnapshot>;
  stop(): Promise<void>;
}

/** Starts capture.py; resolves once it heard its first event (start a worker first). */
export async function startCeleryCapture(app: CeleryAppSettings): Promise<CeleryCapture> {
  const child = spawn(python, [join(celeryPythonDir, 'capture.py')], { cwd: celeryPythonDir, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: appEnv(app) });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = async (): Promise<string> => {
    const deadline = Date.now() + 20_000;
    while (!out.includes('\n')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`capture.py: ${err.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const at = out.indexOf('\n');
    const line = out.slice(0, at);
    out = out.slice(at + 1);
    return line;
  };
  if ((await nextLine()) !== 'ready') throw new Error(`capture.py did not start: ${err}`);
  return {
    snapshot: async () => {
      child.stdin?.write('snap\n');
      return JSON.parse(await nextLine()) as CelerySnapshot;
    },
    stop: async () => {
      child.stdin?.end();
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    },
  };
}

/** Polls a condition every 50 ms until it holds. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `str()` of the exception tsapp's `raise_exc` raises, as Python itself renders it. */
export function pythonExceptionStr(app: CeleryAppSettings, name: string, args: unknown[]): string {
  const code = 'import json, sys\nfrom tsapp import exception_of\nprint(json.dumps(str(exception_of(*json.loads(sys.argv[1])))))';
  const run = spawnSync(python, ['-c', code, JSON.stringify([name, ...args])], { cwd: celeryPythonDir, encoding: 'utf8', env: appEnv(app) });
  if (run.status !== 0) throw new Error(`python: ${run.stderr}`);
  return JSON.parse(run.stdout) as string;
}
