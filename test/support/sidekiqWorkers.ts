import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { PrivateRedis } from './redisServer.js';
import { waitFor } from './rqWorkers.js';

/**
 * Real Sidekiq processes for tests: Debian's ruby-sidekiq 6.4.1 (`/usr/bin/sidekiq` on the
 * system ruby) against a private redis-server, running the jobs of
 * test/support/ruby/sidekiq/app.rb. Each process is found by its tag (`-g`), read from the
 * `info` of its process hash.
 */
export const sidekiqRubyDir = join(import.meta.dirname, 'ruby', 'sidekiq');

export interface SidekiqProcess {
  /** Its identity in the `processes` set (`host:pid:nonce`). */
  identity: string;
  pid: number;
  log(): string;
  /** TERM, as a deploy does: it removes itself from `processes` and exits. */
  stop(): Promise<void>;
  /** SIGKILL, as the OOM killer does: its identity stays in `processes`. */
  kill(): Promise<void>;
  /** TSTP: quiet (stops fetching, keeps beating). */
  quiet(): void;
}

export interface SidekiqOptions {
  db: number;
  queues: string[];
  tag: string;
  concurrency?: number;
}

const running = new Set<SidekiqProcess>();

export async function startSidekiq(redis: PrivateRedis, options: SidekiqOptions): Promise<SidekiqProcess> {
  const args = ['/usr/bin/sidekiq', '-r', join(sidekiqRubyDir, 'app.rb'), '-g', options.tag, '-c', String(options.concurrency ?? 5), '-t', '2'];
  for (const q of options.queues) args.push('-q', q);
  const child = spawn('ruby', args, {
    cwd: sidekiqRubyDir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REDIS_URL: redis.url(options.db), APP_ENV: 'test' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let identity = '';
  await waitFor(() => {
    for (const member of redis.cli(['SMEMBERS', 'processes'], options.db).split('\n').filter(Boolean)) {
      if (redis.cli(['HGET', member, 'info'], options.db).includes(`"tag":"${options.tag}"`)) { identity = member; return true; }
    }
    return false;
  }, `sidekiq ${options.tag} to register`, child, () => output);
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(sig);
    await exited;
  };
  const proc: SidekiqProcess = {
    identity, pid: child.pid!, log: () => output,
    stop: async () => { await signal('SIGTERM'); running.delete(proc); },
    kill: async () => { await signal('SIGKILL'); running.delete(proc); },
    quiet: () => { child.kill('SIGTSTP'); },
  };
  running.add(proc);
  return proc;
}

/** Kills every process still running (afterAll). */
export async function destroyAllSidekiqs(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill()));
}

export interface SidekiqReport {
  now: number;
  stats: { processed: number; failed: number; scheduled: number; retry: number; dead: number; enqueued: number; workers: number };
  queues: Record<string, { size: number; latency: number; at: number }>;
  scheduled_by_queue: Record<string, number>;
  retry_by_queue: Record<string, number>;
  dead_by_queue: Record<string, number>;
  processes: { identity: string; beat: number; busy: number; quiet: string; queues: string[] }[];
  workers: { process: string; thread: string; queue: string; jid: string; run_at: number }[];
}

export interface SidekiqJobSpec {
  class: 'OkJob' | 'SleepJob' | 'RetryJob' | 'DeadJob';
  args?: unknown[];
  queue?: string;
  /** Seconds from now: a scheduled job. */
  in?: number;
}

function tool(redis: PrivateRedis, db: number, args: string[]): string {
  const run = spawnSync('ruby', [join(sidekiqRubyDir, 'tool.rb'), redis.url(db), ...args], { cwd: sidekiqRubyDir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sidekiq tool ${args[0]}: ${run.stderr}`);
  return run.stdout;
}

/** Sidekiq's own view (Stats, Queue#size/#latency, ProcessSet without cleanup, Workers). */
export function sidekiqReport(redis: PrivateRedis, db: number): SidekiqReport {
  return JSON.parse(tool(redis, db, ['report'])) as SidekiqReport;
}

/** Pushes jobs with Sidekiq::Client; returns their jids. */
export function sidekiqEnqueue(redis: PrivateRedis, db: number, jobs: SidekiqJobSpec[]): string[] {
  return JSON.parse(tool(redis, db, ['enqueue', JSON.stringify(jobs)])) as string[];
}

/** A job's hash as Sidekiq's own find_job returns it (retry, dead, schedule, queues), or null. */
export function sidekiqFindJob(redis: PrivateRedis, db: number, jid: string): Record<string, unknown> | null {
  return JSON.parse(tool(redis, db, ['job', jid])) as Record<string, unknown> | null;
}
