import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './redisServer.js';

/**
 * A private RabbitMQ node on spare loopback ports, for one test file. Never the machine's node on
 * 5672/4369: the node has its own name, AMQP, distribution, EPMD (its own epmd daemon) and, when
 * asked, management ports, its own Mnesia and log directories, its own enabled_plugins file, its
 * own rabbitmq.conf and its own Erlang cookie (HOME is the node's temporary directory).
 *
 * The Debian wrapper in /usr/sbin drops to the `rabbitmq` user and reads /etc/rabbitmq's env file;
 * we run the scripts in /usr/lib/rabbitmq/bin directly, as whoever runs the tests, so the
 * directories need no chown and nothing of the machine's configuration leaks in.
 */
export interface PrivateRabbit {
  /** `tsprobe<N>@localhost`, unique per node. */
  nodeName: string;
  amqpPort: number;
  /** The management HTTP port, or null when started without the plugin. */
  managementPort: number | null;
  /** TLS AMQP port when started with `tls`, else null. */
  amqpsPort: number | null;
  /** The management API over https (started with `management` and `managementTls`), else null. */
  managementTlsPort: number | null;
  /** `amqp://user:pass@127.0.0.1:<port>/<vhost>`; vhost `/` (the default) is written `%2F`. */
  amqpUrl(opts?: { vhost?: string; user?: string; password?: string }): string;
  /** `amqps://…` on the TLS port (start with `tls`). */
  amqpsUrl(opts?: { vhost?: string; user?: string; password?: string }): string;
  /** `http://user:pass@127.0.0.1:<management port>` (throws without management). */
  apiUrl(opts?: { user?: string; password?: string }): string;
  /** Runs rabbitmqctl against this node; returns trimmed stdout, throws with stderr on failure. */
  ctl(args: string[]): string;
  /** Runs rabbitmq-plugins against this node (its own enabled_plugins file). */
  plugins(args: string[]): string;
  /** `rabbitmqctl list_queues -p <vhost> name <columns…> --formatter json`, parsed. */
  listQueues(vhost: string, columns: string[]): Record<string, unknown>[];
  /** GET on the management API with guest credentials (independent reads in tests), parsed JSON. */
  api(path: string): Promise<unknown>;
  /** Environment the rabbitmq scripts need to reach this node (for other tools, e.g. Celery workers do not need it). */
  env: NodeJS.ProcessEnv;
  /** The node's temporary directory (logs under `log/`). */
  dir: string;
  stop(): Promise<void>;
}

export interface StartRabbitOptions {
  /** Enable rabbitmq_management (HTTP API on a spare port). Default false. */
  management?: boolean;
  /** Also listen for AMQPS with these PEM files. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** With `management` and `tls`: the API also over https, with the same PEM files. */
  managementTls?: boolean;
  /** Extra rabbitmq.conf lines. */
  config?: string[];
}

const BIN = '/usr/lib/rabbitmq/bin';
let counter = 0;

function encodeVhost(vhost: string): string {
  return encodeURIComponent(vhost);
}

function runScript(script: string, env: NodeJS.ProcessEnv, args: string[], timeoutMs = 60_000): string {
  const out = spawnSync(join(BIN, script), args, { env, encoding: 'utf8', timeout: timeoutMs, cwd: env['HOME'] });
  if (out.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} (exit ${out.status ?? out.signal}): ${(out.stderr || out.stdout || '').trim().slice(-800)}`);
  }
  return out.stdout.trim();
}

/** Starts a private node and waits until it (and the management listener, if asked) is up. */
export async function startRabbit(opts: StartRabbitOptions = {}): Promise<PrivateRabbit> {
  if (!existsSync(join(BIN, 'rabbitmq-server'))) {
    throw new Error('rabbitmq-server is not installed: apt-get install rabbitmq-server (.ci/run does this)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'task-status-rabbit-'));
  const nodeName = `tsprobe${process.pid}x${counter++}@localhost`;
  const amqpPort = await freePort();
  const distPort = await freePort();
  const epmdPort = await freePort();
  const managementPort = opts.management ? await freePort() : null;
  const amqpsPort = opts.tls ? await freePort() : null;
  const managementTlsPort = opts.management && opts.tls && opts.managementTls ? await freePort() : null;
  for (const sub of ['mnesia', 'log', 'plugins-expand', 'conf.d']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'enabled_plugins'), opts.management ? '[rabbitmq_management].\n' : '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(join(dir, '.erlang.cookie'), `TSPROBECOOKIE${process.pid}${counter}`.padEnd(20, 'X'), { mode: 0o400 });
  const conf = [
    `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
    'loopback_users = none',
    ...(managementPort !== null ? [`management.tcp.port = ${managementPort}`, 'management.tcp.ip = 127.0.0.1'] : []),
    ...(opts.tls && amqpsPort !== null ? [
      `listeners.ssl.default = 127.0.0.1:${amqpsPort}`,
      `ssl_options.cacertfile = ${opts.tls.caFile}`,
      `ssl_options.certfile = ${opts.tls.certFile}`,
      `ssl_options.keyfile = ${opts.tls.keyFile}`,
      'ssl_options.verify = verify_none',
      'ssl_options.fail_if_no_peer_cert = false',
    ] : []),
    ...(opts.tls && managementTlsPort !== null ? [
      `management.ssl.port = ${managementTlsPort}`,
      'management.ssl.ip = 127.0.0.1',
      `management.ssl.cacertfile = ${opts.tls.caFile}`,
      `management.ssl.certfile = ${opts.tls.certFile}`,
      `management.ssl.keyfile = ${opts.tls.keyFile}`,
    ] : []),
    ...(opts.config ?? []),
    '',
  ];
  writeFileSync(join(dir, 'rabbitmq.conf'), conf.join('\n'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: dir,
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    // Neither the machine's /etc/rabbitmq/conf.d nor its advanced.config may reach this node.
    RABBITMQ_CONFIG_FILES: join(dir, 'conf.d'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const child: ChildProcess = spawn(join(BIN, 'rabbitmq-server'), [], {
    env, cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'ignore'],
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch { /* already gone */ }
  };
  const killEpmd = () => spawnSync('epmd', ['-port', String(epmdPort), '-kill'], { env, stdio: 'ignore' });
  // A test process that dies must not leave its node (or its epmd) behind.
  const reap = () => {
    killGroup('SIGKILL');
    killEpmd();
  };
  process.once('exit', reap);
  const ctl = (args: string[]) => runScript('rabbitmqctl', env, ['-n', nodeName, ...args]);
  const logTail = () => {
    try {
      const logs = readdirSync(join(dir, 'log')).filter((f) => f.endsWith('.log'));
      return logs.map((f) => readFileSync(join(dir, 'log', f), 'utf8').slice(-600)).join('\n');
    } catch {
      return '';
    }
  };
  try {
    await waitFor(`private RabbitMQ node ${nodeName} to start`, () => {
      if (child.exitCode !== null) throw new Error(`rabbitmq-server exited ${child.exitCode}: ${logTail()}`);
      return spawnSync(join(BIN, 'rabbitmqctl'), ['-n', nodeName, '-q', 'await_startup', '--timeout', '2'], { env, cwd: dir, stdio: 'ignore', timeout: 10_000 }).status === 0;
    }, 90_000);
    if (managementPort !== null) {
      await waitForHttp(`http://127.0.0.1:${managementPort}/api/overview`, 30_000);
    }
  } catch (err) {
    reap();
    process.off('exit', reap);
    throw new Error(`${(err as Error).message}\n${logTail()}`);
  }
  const creds = (o?: { user?: string; password?: string }) =>
    `${encodeURIComponent(o?.user ?? 'guest')}:${encodeURIComponent(o?.password ?? 'guest')}`;
  return {
    nodeName, amqpPort, managementPort, amqpsPort, managementTlsPort, env, dir,
    amqpUrl: (o) => `amqp://${creds(o)}@127.0.0.1:${amqpPort}/${encodeVhost(o?.vhost ?? '/')}`,
    amqpsUrl: (o) => {
      if (amqpsPort === null) throw new Error('this node was started without tls');
      return `amqps://${creds(o)}@127.0.0.1:${amqpsPort}/${encodeVhost(o?.vhost ?? '/')}`;
    },
    apiUrl: (o) => {
      if (managementPort === null) throw new Error('this node was started without management');
      return `http://${creds(o)}@127.0.0.1:${managementPort}`;
    },
    ctl,
    plugins: (args) => runScript('rabbitmq-plugins', env, ['-n', nodeName, ...args]),
    listQueues: (vhost, columns) => JSON.parse(ctl(['-q', 'list_queues', '-p', vhost, 'name', ...columns, '--formatter', 'json'])) as Record<string, unknown>[],
    api: async (path) => {
      if (managementPort === null) throw new Error('this node was started without management');
      const res = await fetch(`http://127.0.0.1:${managementPort}${path}`, {
        headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
      });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop: async () => {
      process.off('exit', reap);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // SIGTERM makes the Erlang VM shut the node down cleanly (OTP ≥ 23); SIGKILL if it lingers.
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        killGroup('SIGKILL'); // helpers of the VM (erl_child_setup, inet_gethost) if any remain
      }
      killEpmd();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Self-signed CA + server certificate for 127.0.0.1/localhost (openssl), written to `dir`. */
export function makeTlsFiles(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const run = (args: string[]) => {
    const out = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${out.stderr}`);
  };
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=task-status test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.cnf', '-out', 'server.pem']);
  return { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
}
