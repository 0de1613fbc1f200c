import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
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

/** Waits until `check()` is true (polling every 100 ms), or fails naming `what`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** redis-cli against any port, with an optional password (`-a`, warning silenced). */
export function cliAt(port: number, args: string[], password?: string): string {
  const auth = password ? ['-a', password, '--no-auth-warning'] : [];
  const out = spawnSync('redis-cli', ['-p', String(port), ...auth, ...args], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`redis-cli -p ${port} ${args.join(' ')}: ${out.stderr}`);
  return out.stdout.trim();
}

/** A private Sentinel deployment: a master, one replica, and sentinels watching `masterName`. */
export interface PrivateSentinelSet {
  masterName: string;
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinelPorts: number[];
  /** The port of the server the sentinels name as master now. */
  currentMasterPort(): number;
  stop(): Promise<void>;
}

/**
 * Starts a master, a replica of it and `sentinels` sentinels (`redis-server <conf> --sentinel`:
 * Debian ships no redis-sentinel binary), and waits until every sentinel sees the replica and the
 * other sentinels, so that SENTINEL FAILOVER can proceed.
 */
export async function startSentinelSet(opts: { masterName?: string; masterPassword?: string; sentinelPassword?: string; sentinels?: number } = {}): Promise<PrivateSentinelSet> {
  const masterName = opts.masterName ?? 'mymaster';
  const pw = opts.masterPassword;
  const auth = pw ? ['--requirepass', pw, '--masterauth', pw] : [];
  const master = await startRedis(auth);
  const replica = await startRedis([...auth, '--replicaof', '127.0.0.1', String(master.port)]);
  await waitFor('the replica to sync', () => /master_link_status:up/.test(cliAt(replica.port, ['INFO', 'replication'], pw)));
  const children: { child: ReturnType<typeof spawn>; dir: string; reap: () => void }[] = [];
  const sentinelPorts: number[] = [];
  for (let i = 0; i < (opts.sentinels ?? 3); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'task-status-sentinel-'));
    const port = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, [
      `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${join(dir, 'sentinel.log')}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
      `sentinel down-after-milliseconds ${masterName} 1000`,
      `sentinel failover-timeout ${masterName} 5000`,
      ...(pw ? [`sentinel auth-pass ${masterName} ${pw}`] : []),
      ...(opts.sentinelPassword ? [`requirepass ${opts.sentinelPassword}`, `sentinel sentinel-pass ${opts.sentinelPassword}`] : []),
      '',
    ].join('\n'));
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    children.push({ child, dir, reap });
    sentinelPorts.push(port);
  }
  const sentinelCli = (port: number, args: string[]) => cliAt(port, args, opts.sentinelPassword);
  for (const port of sentinelPorts) {
    await waitFor(`sentinel ${port} to see the replica and the other sentinels`, () => {
      try {
        const replicas = sentinelCli(port, ['SENTINEL', 'REPLICAS', masterName]);
        const others = sentinelCli(port, ['SENTINEL', 'SENTINELS', masterName]);
        return replicas.includes(String(replica.port)) && (others.match(/^name$/gm)?.length ?? 0) === sentinelPorts.length - 1;
      } catch {
        return false;
      }
    }, 30_000);
  }
  return {
    masterName, master, replica, sentinelPorts,
    currentMasterPort: () => Number(sentinelCli(sentinelPorts[0]!, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName]).split('\n')[1]),
    stop: async () => {
      await Promise.all(children.map(async ({ child, dir, reap }) => {
        process.off('exit', reap);
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      }));
      await replica.stop();
      await master.stop();
    },
  };
}

/** A private Redis Cluster of `masters` masters (no replicas), every slot assigned. */
export interface PrivateCluster {
  nodes: PrivateRedis[];
  /** `redis://127.0.0.1:<first node>`: a plain URL to one node, as users give it. */
  url(): string;
  /** redis-cli -c (follows MOVED) on the first node: set-up and independent reads. */
  cli(args: string[]): string;
  /** The node (port) that owns a key, as the cluster itself says. */
  ownerOf(key: string): number;
  stop(): Promise<void>;
}

export async function startCluster(masters = 3): Promise<PrivateCluster> {
  const nodes: PrivateRedis[] = [];
  for (let i = 0; i < masters; i++) {
    // cluster-port: the default bus port (port + 10000) may be taken or out of range.
    nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000', '--cluster-port', String(await freePort())]));
  }
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (create.status !== 0) throw new Error(`redis-cli --cluster create: ${create.stdout} ${create.stderr}`);
  for (const n of nodes) {
    await waitFor(`cluster node ${n.port} to be ok`, () => /cluster_state:ok/.test(cliAt(n.port, ['CLUSTER', 'INFO']))
      && (cliAt(n.port, ['CLUSTER', 'NODES']).match(/master/g)?.length ?? 0) === masters);
  }
  const first = nodes[0]!;
  return {
    nodes,
    url: () => `redis://127.0.0.1:${first.port}`,
    cli: (args) => cliAt(first.port, ['-c', ...args]),
    ownerOf: (key) => {
      const slot = Number(cliAt(first.port, ['CLUSTER', 'KEYSLOT', key]));
      const shards = cliAt(first.port, ['CLUSTER', 'NODES']).split('\n');
      for (const line of shards) {
        const fields = line.split(' ');
        const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
        for (const range of fields.slice(8)) {
          const [a, b] = range.split('-').map(Number);
          if (slot >= a! && slot <= (b ?? a)!) return port;
        }
      }
      throw new Error(`no node owns slot ${slot}`);
    },
    stop: async () => {
      for (const n of nodes) await n.stop();
    },
  };
}
