import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardView, RabbitBrokerFigures } from '../../../src-main/contract/dashboard.js';
import type { QueueFigures } from '../../../src-main/contract/figures.js';
import { freePort } from '../../support/redisServer.js';
import { makeTlsFiles, startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/**
 * `--rabbitmq URL` / `--rabbitmq-api URL` end to end, as a user runs the command (`node
 * bin/task-status.js`, built by `npm test`), against two private RabbitMQ nodes: one with the
 * management plugin, one without it (AMQP alone, and a TLS listener). Figures are compared with
 * `rabbitmqctl list_queues`; the machine's own RabbitMQ (5672) is never involved: HOME is empty
 * and every run names its broker.
 */
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'task-status.js');
const home = mkdtempSync(join(tmpdir(), 'task-status-home-'));

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('task-status CLI on RabbitMQ', () => {
  let full: PrivateRabbit;
  let bare: PrivateRabbit;
  let tlsDir: string;
  let holders: ChannelModel[] = [];
  let closedPort: number;
  const slashVhost = 'qlab/v1';

  /** rabbitmqctl's view of a vhost, by queue name in name order. */
  const ctl = (node: PrivateRabbit, vhost = '/') => Object.fromEntries(node.listQueues(vhost, ['messages_ready', 'messages_unacknowledged', 'consumers'])
    .map((q) => [q.name as string, { waiting: q.messages_ready, reserved: q.messages_unacknowledged, online: q.consumers }])
    .sort(([a], [b]) => (a! < b! ? -1 : 1)));

  /** Waits until the management API's statistics agree with rabbitmqctl (they lag by an emission). */
  async function settled(vhost: string): Promise<void> {
    for (let i = 0; ; i++) {
      const api = await full.api(`/api/queues/${encodeURIComponent(vhost)}?columns=name,messages_ready,messages_unacknowledged,consumers`) as Record<string, unknown>[];
      const fromApi = Object.fromEntries(api.map((q) => [q.name as string, { waiting: q.messages_ready, reserved: q.messages_unacknowledged, online: q.consumers }])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)));
      if (JSON.stringify(fromApi) === JSON.stringify(ctl(full, vhost))) return;
      if (i > 200) throw new Error(`statistics of ${vhost} never settled`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function fill(node: PrivateRabbit, vhost: string, queues: Record<string, number>, consumeFrom?: string): Promise<void> {
    const conn = await amqp.connect(node.amqpUrl({ vhost }));
    holders.push(conn);
    const ch = await conn.createChannel();
    for (const [name, count] of Object.entries(queues)) {
      await ch.assertQueue(name);
      for (let i = 0; i < count; i++) ch.sendToQueue(name, Buffer.from(`${name}${i}`));
    }
    if (consumeFrom) {
      const cc = await conn.createChannel();
      await cc.prefetch(2);
      await cc.consume(consumeFrom, () => undefined, { noAck: false });
    }
  }

  beforeAll(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'task-status-rabbit-tls-'));
    [full, bare] = await Promise.all([
      startRabbit({ management: true, config: ['collect_statistics_interval = 1000'] }),
      startRabbit({ management: false, tls: makeTlsFiles(tlsDir) }),
    ]);
    closedPort = await freePort();
    full.ctl(['add_vhost', slashVhost]);
    full.ctl(['set_permissions', '-p', slashVhost, 'guest', '.*', '.*', '.*']);
    await fill(full, '/', { orders: 7, emails: 5, empty: 0 }, 'emails');
    await fill(full, slashVhost, { reports: 3 });
    await fill(bare, '/', { orders: 4, emails: 6 }, 'emails');
    await settled('/');
    await settled(slashVhost);
  });

  afterAll(async () => {
    for (const h of holders) await h.close().catch(() => undefined);
    holders = [];
    await Promise.all([full?.stop(), bare?.stop()]);
    rmSync(tlsDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  const apiOf = (node: PrivateRabbit) => `http://127.0.0.1:${node.managementPort}`;

  it('dashboard --json: every queue of the vhost with the counts rabbitmqctl reports, and the node figures', async () => {
    const run = await cli(['dashboard', '--json', '--window', '0', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as DashboardView;
    expect(view.connections).toHaveLength(1);
    const [c] = view.connections;
    expect(c).toMatchObject({ id: `127.0.0.1:${full.amqpPort}`, url: `amqp://guest:***@127.0.0.1:${full.amqpPort}/%2F`, status: 'ok', frameworks: ['rabbitmq'] });
    const seen = Object.fromEntries(c!.queues.map((q: QueueFigures) => [q.queue, { waiting: q.waiting, reserved: q.reserved, online: q.workers.online }]));
    expect(seen).toEqual(ctl(full));
    expect(seen).toEqual({ emails: { waiting: 3, reserved: 2, online: 1 }, empty: { waiting: 0, reserved: 0, online: 0 }, orders: { waiting: 7, reserved: 0, online: 0 } });
    for (const q of c!.queues) expect([q.framework, q.namespace, q.running, q.failed, q.dead, q.retrying, q.scheduled]).toEqual(['rabbitmq', '/', null, null, null, null, null]);
    const broker = c!.broker as RabbitBrokerFigures;
    expect(broker).toMatchObject({ kind: 'rabbitmq', version: full.ctl(['-q', 'version']), alarms: [] });
    expect(broker.nodes!.map((n) => [n.name, n.running])).toEqual([[full.nodeName, true]]);
    const [n] = await full.api('/api/nodes') as Record<string, unknown>[];
    expect(broker.nodes![0]).toMatchObject({ memoryLimitBytes: n!.mem_limit, fdTotalCount: n!.fd_total, diskFreeLimitBytes: n!.disk_free_limit });
  });

  it('dashboard: a broker line under the connection header (version, memory of limit, disk free, fds, alarms)', async () => {
    const run = await cli(['dashboard', '--window', '0', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${full.amqpPort}  amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:${full.amqpPort}/%2F  ● OK  rabbitmq`));
    expect(lines[1]).toMatch(new RegExp(`^  rabbitmq 3\\.\\d+\\.\\d+ · ${full.nodeName}: memory [\\d.]+ [KMG]?B of [\\d.]+ [KMG]?B, disk free [\\d.]+ [KMGT]?B \\(alarm below [\\d.]+ [KMG]?B\\), fds \\d+/\\d+ · alarms none$`));
    expect(run.stdout).toMatch(/rabbitmq\s+orders\s+\/\s+7\s+\?\s+0\s+\?/);
  });

  it('--rabbitmq is repeatable; a vhost with a slash is written %2F in the path', async () => {
    const run = await cli(['dashboard', '--json', '--window', '0',
      '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full),
      '--rabbitmq', full.amqpUrl({ vhost: slashVhost }), '--rabbitmq-api', apiOf(full)]);
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as DashboardView;
    expect(view.connections.map((c) => [c.id, c.status, c.queues.map((q) => [q.queue, q.namespace, q.waiting])])).toEqual([
      [`127.0.0.1:${full.amqpPort}`, 'ok', [['emails', '/', 3], ['empty', '/', 0], ['orders', '/', 7]]],
      [`127.0.0.1:${full.amqpPort}/qlab%2Fv1`, 'ok', [['reports', slashVhost, ctl(full, slashVhost).reports!.waiting]]],
    ]);
  });

  it('queue --name and --framework rabbitmq; a queue that is not there exits 1', async () => {
    const found = await cli(['queue', '--json', '--window', '0', '--name', 'emails', '--framework', 'rabbitmq', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(found.code).toBe(0);
    const { queues } = JSON.parse(found.stdout) as { queues: QueueFigures[] };
    expect(queues.map((q) => [q.queue, q.waiting, q.reserved, q.workers])).toEqual([['emails', 3, 2, { online: 1, busy: null, offline: null }]]);
    const missing = await cli(['queue', '--window', '0', '--name', 'nope', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/queue not found/);
    const task = await cli(['task', '--id', 'abc', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(task.code).toBe(1);
  });

  it('without the management plugin: the queues named in --config over AMQP, said to be partial, a missing one named; exit 0', async () => {
    const config = join(home, 'bare.yaml');
    writeFileSync(config, [
      'connections:',
      '  - kind: rabbitmq',
      '    id: bare',
      `    url: amqp://guest@127.0.0.1:${bare.amqpPort}/%2F`,
      '    passwordEnv: BARE_PASSWORD',
      `    apiUrl: http://127.0.0.1:${closedPort}`,
      '    queues: [orders, emails, missing-one]',
      '',
    ].join('\n'));
    const run = await cli(['dashboard', '--json', '--window', '0', '--config', config], { BARE_PASSWORD: 'guest' });
    expect(run.code).toBe(0);
    const [c] = (JSON.parse(run.stdout) as DashboardView).connections;
    const want = ctl(bare);
    expect(c!.status).toBe('degraded');
    expect(c!.statusReason!.detail).toMatch(/^management API unreadable \(RabbitMQ management API at http:\/\/127\.0\.0\.1:\d+ refused the connection .*\): AMQP alone gives partial figures/);
    expect(c!.statusReason!.detail).toMatch(/queue "missing-one": no queue 'missing-one' in vhost '\/'$/);
    expect(c!.queues.map((q) => [q.queue, q.waiting, q.reserved, q.workers.online])).toEqual([
      ['orders', want.orders!.waiting, null, want.orders!.online],
      ['emails', want.emails!.waiting, null, want.emails!.online],
    ]);
    expect(want.emails).toEqual({ waiting: 4, reserved: 2, online: 1 });
    expect(c!.broker).toMatchObject({ nodes: null, alarms: null, version: bare.ctl(['-q', 'version']) });
    const human = await cli(['dashboard', '--window', '0', '--config', config], { BARE_PASSWORD: 'guest' });
    expect(human.stdout).toMatch(/bare .* ▲ DEGRADED/);
    expect(human.stdout).toMatch(/AMQP alone gives partial figures/);
    expect(human.stdout).toMatch(/rabbitmq \S+ · nodes \? · alarms \?/);
  });

  it('errors say which, exit 3: wrong password, nothing listening, TLS expected', async () => {
    const wrong = await cli(['dashboard', '--window', '0', '--rabbitmq', full.amqpUrl({ password: 'bad' }), '--rabbitmq-api', apiOf(full)]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(`task-status: 127.0.0.1:${full.amqpPort}: authentication failed: RabbitMQ at amqp://127.0.0.1:${full.amqpPort} refused the user "guest" or its password`);
    expect(wrong.stderr).not.toContain('bad');
    const down = await cli(['dashboard', '--window', '0', '--rabbitmq', `amqp://127.0.0.1:${closedPort}`]);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain(`unreachable: RabbitMQ at amqp://127.0.0.1:${closedPort} refused the connection (is RabbitMQ running there?); and the management API: RabbitMQ management API at http://127.0.0.1:15672`);
    const plainToTls = await cli(['dashboard', '--window', '0', '--rabbitmq', `amqp://guest:guest@127.0.0.1:${bare.amqpsPort}`, '--rabbitmq-api', `http://127.0.0.1:${closedPort}`]);
    expect(plainToTls.code).toBe(3);
    expect(plainToTls.stderr).toContain(`TLS problem: RabbitMQ at amqp://127.0.0.1:${bare.amqpsPort} hung up on the AMQP handshake: it expects TLS (use amqps://)`);
  });

  it('bad usage exits 2: a URL of another scheme, --rabbitmq-api without a --rabbitmq of its own', async () => {
    const scheme = await cli(['dashboard', '--rabbitmq', 'http://127.0.0.1:5672']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/the scheme must be amqp:\/\/ or amqps:\/\//);
    const count = await cli(['dashboard', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full), '--rabbitmq-api', apiOf(full)]);
    expect(count.code).toBe(2);
    expect(count.stderr).toMatch(/2 --rabbitmq-api for 1 --rabbitmq/);
  });

  it('serve --rabbitmq: the web face answers the dashboard with the RabbitMQ connection', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-history', '--interval', '1s', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' },
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /task-status dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toContain(`(watching amqp://guest:***@127.0.0.1:${full.amqpPort}/%2F;`);
      let view: DashboardView | undefined;
      for (let i = 0; i < 50 && !view?.connections[0]?.takenAt; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const res = await fetch(`${url}/api/getDashboard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        view = ((await res.json()) as { ok: boolean; value: DashboardView }).value;
      }
      const c = view!.connections[0]!;
      expect(c.status).toBe('ok');
      expect(Object.fromEntries(c.queues.map((q) => [q.queue, { waiting: q.waiting, reserved: q.reserved, online: q.workers.online }]))).toEqual(ctl(full));
      expect(c.broker?.kind).toBe('rabbitmq');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  });

  it('serve and check take --rabbitmq and --rabbitmq-api too', async () => {
    for (const command of ['serve', 'check', 'queue', 'task', 'dashboard']) {
      const help = await cli([command, '--help']);
      expect(help.stdout, command).toContain('--rabbitmq <url>');
      expect(help.stdout, command).toContain('--rabbitmq-api <url>');
    }
    // check on RabbitMQ: "orders" has waiting work and no consumer (the default emergency rule, pending for its `for`).
    const check = await cli(['check', '--window', '0', '--rabbitmq', full.amqpUrl(), '--rabbitmq-api', apiOf(full)]);
    expect(check.stdout).toContain(`Waiting work and no consumer — 127.0.0.1:${full.amqpPort} rabbitmq orders: waitingWithoutConsumer 7 > 0`);
    const down = await cli(['check', '--window', '0', '--rabbitmq', `amqp://127.0.0.1:${closedPort}`, '--rabbitmq-api', `http://127.0.0.1:${closedPort}`]);
    expect(down.code).toBe(2);
    expect(down.stdout).toContain(`unreachable: RabbitMQ at amqp://127.0.0.1:${closedPort} refused the connection`);
  });
});
