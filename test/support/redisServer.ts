import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private redis-server on a spare loopback port, for one test file. Never the shared 6379. */
export interface PrivateRedis {
  port: number;
  /** `redis://127.0.0.1:<port>/<db>` (no db: every database). */
  url(db?: number): string;
  /** Runs redis-cli against it (test set-up and independent reads only). */
  cli(args: string[], db?: number): string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(address.port));
    });
  });
}

export async function startRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run does this)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'task-status-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--logfile', join(dir, 'redis.log'), ...extraArgs,
  ], { stdio: 'ignore' });
  // A test process that dies must not leave its server behind.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const deadline = Date.now() + 10_000;
  // PONG, or NOAUTH from a server started with a password: either way it is accepting connections.
  while (!/^(PONG|NOAUTH)/.test(spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() ?? '')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      const log = existsSync(join(dir, 'redis.log')) ? readFileSync(join(dir, 'redis.log'), 'utf8') : '';
      child.kill('SIGKILL');
      throw new Error(`private redis-server on port ${port} did not start: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: (db) => `redis://127.0.0.1:${port}${db === undefined ? '' : `/${db}`}`,
    cli: (args, db = 0) => {
      const out = spawnSync('redis-cli', ['-p', String(port), '-n', String(db), ...args], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${out.stderr}`);
      return out.stdout.trim();
    },
    stop: async () => {
      process.off('exit', reap);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
