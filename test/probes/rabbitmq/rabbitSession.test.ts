import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView, RabbitBrokerFigures } from '../../../src-main/contract/dashboard.js';
import type { RabbitConnectionConfig } from '../../../src-main/contract/config.js';
import { resolveRabbitConnection } from '../../../src-main/core/config/resolveRabbit.js';
import { createApp, defaultSessionOptions } from '../../../src-main/bootstrap/createApp.js';
import { systemClock } from '../../../src-main/io/clock.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';
import { RabbitConnectionSession } from '../../../src-main/monitor/rabbitSession.js';
import { rabbitQueueProbe } from '../../../src-main/probes/rabbitmq/rabbitQueueProbe.js';
import { freePort } from '../../support/redisServer.js';
import { startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/**
 * Plain RabbitMQ queues through the monitor's RabbitMQ session, against a private node: the
 * figures compared with `rabbitmqctl list_queues` and the management API read independently;
 * the AMQP fallback when the API cannot be read; the optional local default shown only once read.
 */
describe('RabbitMQ session with the plain-queue probe (live, private node)', () => {
  let rabbit: PrivateRabbit;
  let holder: ChannelModel;
  let traffic: { stop(): Promise<void> };
  let closedPort: number;
  const sessions: { close(): Promise<void> }[] = [];

  function sessionFor(config: Omit<RabbitConnectionConfig, 'kind'>, extra: { isOptional?: boolean } = {}, discoveryIntervalMs = defaultSessionOptions.discoveryIntervalMs) {
    const connection = { ...resolveRabbitConnection({ kind: 'rabbitmq', ...config }, {}), ...extra };
    const management = new HttpRabbitManagement({ api: connection.target.api, timeoutMs: 3000 });
    const checker = new AmqplibQueueChecker({ target: connection.target, timeoutMs: 3000 });
    sessions.push(management, checker);
    return new RabbitConnectionSession({
      connection, management, amqp: checker, probes: [rabbitQueueProbe], clock: systemClock, options: { ...defaultSessionOptions, discoveryIntervalMs },
    });
  }

  const ctlCounts = (vhost = '/') => Object.fromEntries(rabbit.listQueues(vhost, ['messages_ready', 'messages_unacknowledged', 'consumers'])
    .map((q) => [q.name as string, [q.messages_ready, q.messages_unacknowledged, q.consumers]]));

  /** Polls until the API's statistics agree with rabbitmqctl for the static queues, then returns that view. */
  async function settledView(session: RabbitConnectionSession, names: string[]): Promise<ConnectionView> {
    for (let attempt = 0; ; attempt++) {
      const view = await session.poll();
      const ctl = ctlCounts();
      const seen = Object.fromEntries(names.map((n) => view.queues.find((q) => q.queue === n)).map((q) => [q?.queue, q && [q.waiting, q.reserved, q.workers.online]]));
      const want = Object.fromEntries(names.map((n) => [n, ctl[n]]));
      if (JSON.stringify(seen) === JSON.stringify(want)) return view;
      if (attempt > 100) throw new Error(`the session never agreed with rabbitmqctl: ${JSON.stringify(seen)} vs ${JSON.stringify(want)} (${view.status}: ${JSON.stringify(view.statusReason)})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    rabbit = await startRabbit({ management: true, config: ['collect_statistics_interval = 1000'] });
    closedPort = await freePort();
    holder = await amqp.connect(rabbit.amqpUrl());
    const ch = await holder.createChannel();
    await ch.assertQueue('orders', { arguments: { 'x-dead-letter-exchange': 'orders.dlx' } });
    for (let i = 0; i < 7; i++) ch.sendToQueue('orders', Buffer.from(`o${i}`));
    await ch.assertQueue('emails');
    for (let i = 0; i < 5; i++) ch.sendToQueue('emails', Buffer.from(`e${i}`));
    await ch.assertQueue('empty');
    const cc = await holder.createChannel();
    await cc.prefetch(2);
    await cc.consume('emails', () => undefined, { noAck: false });
    // "work": a steady stream published and acknowledged, so RabbitMQ reports an ack rate.
    await ch.assertQueue('work');
    const worker: Channel = await holder.createChannel();
    await worker.consume('work', (m) => {
      if (m) worker.ack(m);
    });
    const timer = setInterval(() => ch.sendToQueue('work', Buffer.from('w')), 50);
    traffic = { stop: async () => clearInterval(timer) };
  });

  afterAll(async () => {
    await traffic?.stop();
    for (const s of sessions) await s.close();
    await holder?.close().catch(() => undefined);
    await rabbit?.stop();
  });

  it('maps every queue of the vhost: waiting = ready, reserved = unacknowledged, workers = consumers, as rabbitmqctl says', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() });
    const view = await settledView(session, ['orders', 'emails', 'empty']);
    expect(view.status).toBe('ok');
    expect(view.statusReason).toBeNull();
    expect(view.frameworks).toEqual(['rabbitmq']);
    const q = Object.fromEntries(view.queues.map((x) => [x.queue, x]));
    expect(Object.keys(q).sort()).toEqual(rabbit.listQueues('/', []).map((x) => x.name).sort());
    expect(q.orders).toMatchObject({
      connection: `127.0.0.1:${rabbit.amqpPort}`, framework: 'rabbitmq', namespace: '/',
      waiting: 7, scheduled: null, reserved: 0, running: null, failed: null, dead: null, retrying: null,
      oldestWaitingAgeMs: null, workers: { online: 0, busy: null, offline: null },
    });
    expect(q.orders!.notes.dead).toMatch(/exchange "orders\.dlx"/);
    expect(q.orders!.notes.oldestWaitingAgeMs).toMatch(/does not say/);
    expect(q.emails).toMatchObject({ waiting: 3, reserved: 2, running: null, workers: { online: 1, busy: null, offline: null } });
    expect(q.empty).toMatchObject({ waiting: 0, reserved: 0, oldestWaitingAgeMs: 0, drainEtaMs: 0 });
    // After the first poll (which also read the overview): one round trip, the listing and the nodes side by side.
    expect(view.roundTripsPerPoll).toBe(1);
    expect(view.commandsPerPoll).toBe(2);
    const first = await sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() }).poll();
    expect([first.roundTripsPerPoll, first.commandsPerPoll]).toEqual([2, 3]);
  });

  it('throughput is RabbitMQ\'s own ack rate per minute, as the API reports it', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() });
    const ackRate = async () => ((await rabbit.api('/api/queues/%2F/work?columns=message_stats.ack_details.rate')) as { message_stats?: { ack_details?: { rate?: number } } }).message_stats?.ack_details?.rate;
    for (let attempt = 0; ; attempt++) {
      const before = await ackRate();
      const view = await session.poll();
      const after = await ackRate();
      if (before !== undefined && before === after && before > 0) {
        const work = view.queues.find((x) => x.queue === 'work')!;
        expect(work.throughputPerMin).toBe(Math.round(before * 60 * 100) / 100);
        expect(work.notes.throughputPerMin).toMatch(/RabbitMQ's own rate/);
        expect(work.workers.online).toBe(1);
        break;
      }
      if (attempt > 100) throw new Error('the ack rate never held still across a poll');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('broker figures: version, the node\'s memory, disk, fds and alarms as /api/nodes reports them', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() });
    const view = await session.poll();
    const broker = view.broker as RabbitBrokerFigures;
    const [n] = await rabbit.api('/api/nodes') as Record<string, unknown>[];
    expect(broker).toMatchObject({ kind: 'rabbitmq', version: rabbit.ctl(['-q', 'version']), alarms: [], notes: {} });
    expect(broker.nodes).toHaveLength(1);
    expect(broker.nodes![0]).toMatchObject({
      name: rabbit.nodeName, running: true, memoryLimitBytes: n!.mem_limit, memoryAlarm: false,
      diskFreeLimitBytes: n!.disk_free_limit, diskFreeAlarm: false, fdTotalCount: n!.fd_total, partitions: [],
    });
    for (const figure of ['memoryUsedBytes', 'diskFreeBytes', 'fdUsedCount', 'uptimeMs'] as const) expect(broker.nodes![0]![figure]).toBeGreaterThan(0);
  });

  it('a user without the monitoring tag: queues read, node figures null with the reason, degraded', async () => {
    rabbit.ctl(['add_user', 'viewer', 'pw']);
    rabbit.ctl(['set_user_tags', 'viewer', 'management']);
    rabbit.ctl(['set_permissions', '-p', '/', 'viewer', '', '', '.*']);
    const session = sessionFor({ url: rabbit.amqpUrl({ user: 'viewer', password: 'pw' }), apiUrl: rabbit.apiUrl({ user: 'viewer', password: 'pw' }) });
    const view = await settledView(session, ['orders', 'emails']);
    expect(view.status).toBe('degraded');
    expect(view.statusReason).toMatchObject({ code: 'PERMISSION_DENIED', detail: expect.stringContaining('Not monitor user') });
    const broker = view.broker as RabbitBrokerFigures;
    expect([broker.nodes, broker.alarms]).toEqual([null, null]);
    expect(broker.notes.nodes).toMatch(/may not read \/api\/nodes \(Not monitor user\)/);
  });

  it('management API unreachable: AMQP passive declares of the configured queues, partial, a missing queue named', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: `http://127.0.0.1:${closedPort}`, queues: ['orders', 'emails', 'nope'] });
    const view = await session.poll();
    const ctl = ctlCounts();
    expect(view.status).toBe('degraded');
    expect(view.statusReason!.code).toBe('TARGET_UNREACHABLE');
    expect(view.statusReason!.detail).toBe(
      `management API unreadable (RabbitMQ management API at http://127.0.0.1:${closedPort} refused the connection (is RabbitMQ running there?)): `
      + 'AMQP alone gives partial figures, the ready count and consumers of the queues named in the config; '
      + 'queue "nope": no queue \'nope\' in vhost \'/\'',
    );
    expect(view.queues.map((q) => [q.queue, q.waiting, q.reserved, q.workers.online, q.throughputPerMin]))
      .toEqual([['orders', ctl.orders![0], null, ctl.orders![2], null], ['emails', ctl.emails![0], null, ctl.emails![2], null]]);
    expect(view.queues[0]!.notes.reserved).toMatch(/AMQP alone/);
    expect(view.broker).toMatchObject({ kind: 'rabbitmq', version: rabbit.ctl(['-q', 'version']), nodes: null, alarms: null });
    // The overview (refused), connect, open three channels side by side, three declares side by side.
    expect(view.roundTripsPerPoll).toBe(4);
    // The next poll goes straight to AMQP (the API is tried again on the discovery cadence): the
    // channel the 404 closed is opened again, then the three declares side by side.
    const again = await session.poll();
    expect([again.roundTripsPerPoll, again.commandsPerPoll]).toEqual([2, 4]);
    expect(again.queues.map((q) => [q.queue, q.waiting])).toEqual(view.queues.map((q) => [q.queue, q.waiting]));
  });

  it('with no queue named, AMQP alone says how to name them', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: `http://127.0.0.1:${closedPort}` });
    const view = await session.poll();
    expect(view.status).toBe('degraded');
    expect(view.queues).toEqual([]);
    expect(view.statusReason!.detail).toMatch(/none is named \(AMQP cannot list queues: add "queues" to the connection in a --config file\)$/);
  });

  it('says which when neither can be read: wrong password (unauthorized), nothing listening (unreachable)', async () => {
    const wrong = await sessionFor({ url: rabbit.amqpUrl({ password: 'wrong' }), apiUrl: rabbit.apiUrl({ password: 'wrong' }) }).poll();
    expect(wrong.status).toBe('unauthorized');
    expect(wrong.statusReason).toEqual({
      code: 'AUTH_FAILED', connection: `127.0.0.1:${rabbit.amqpPort}`,
      detail: `RabbitMQ at amqp://127.0.0.1:${rabbit.amqpPort} refused the user "guest" or its password; and the management API: RabbitMQ management API at http://127.0.0.1:${rabbit.managementPort} refused the user "guest" or its password`,
    });
    const down = await sessionFor({ url: `amqp://guest:guest@127.0.0.1:${closedPort}/%2F`, apiUrl: `http://127.0.0.1:${closedPort}` }).poll();
    expect(down.status).toBe('unreachable');
    expect(down.statusReason!.code).toBe('TARGET_UNREACHABLE');
    expect(down.takenAt).toBeNull();
  });

  it('the optional local default is left out until it answers, then shown', async () => {
    const absent = sessionFor({ url: `amqp://guest:guest@127.0.0.1:${closedPort}/%2F`, apiUrl: `http://127.0.0.1:${closedPort}` }, { isOptional: true });
    await absent.poll();
    expect(absent.isShown).toBe(false);
    expect(await absent.findTask('x', {})).toEqual({ found: [], failures: [] });
    const present = sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() }, { isOptional: true });
    expect(present.isShown).toBe(false);
    await present.poll();
    expect(present.isShown).toBe(true);
  });

  it('through createApp: the dashboard leaves out an optional connection that does not answer, and exits nothing for it', async () => {
    const app = createApp({
      config: {
        source: 'default', pollIntervalMs: 5000,
        connections: [
          { ...resolveRabbitConnection({ kind: 'rabbitmq', url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl(), id: 'mine' }, {}) },
          { ...resolveRabbitConnection({ kind: 'rabbitmq', url: `amqp://127.0.0.1:${closedPort}`, apiUrl: `http://127.0.0.1:${closedPort}`, id: 'local-default' }, {}), isOptional: true },
        ],
      },
    });
    try {
      const view = await app.monitor.pollAll();
      expect(view.connections.map((c) => [c.id, c.status])).toEqual([['mine', 'ok']]);
      expect(view.connections[0]!.queues.map((q) => q.queue).sort()).toEqual(['emails', 'empty', 'orders', 'work']);
    } finally {
      await app.close();
    }
  });

  // Last: it switches the node's management plugin off and on again.
  it('the plugin switched off at runtime: AMQP alone (partial); switched on again: the API once more', async () => {
    const session = sessionFor({ url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl(), queues: ['orders'] }, {}, 0);
    expect((await session.poll()).status).toBe('ok');
    rabbit.plugins(['disable', 'rabbitmq_management']);
    try {
      const off = await session.poll();
      expect(off.status).toBe('degraded');
      expect(off.statusReason!.detail).toMatch(/^management API unreadable \(.*\): AMQP alone gives partial figures/);
      expect(off.queues.map((q) => [q.queue, q.waiting, q.reserved])).toEqual([['orders', ctlCounts().orders![0], null]]);
    } finally {
      rabbit.plugins(['enable', 'rabbitmq_management']);
    }
    let back = await session.poll();
    for (let i = 0; i < 100 && back.status !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 300));
      back = await session.poll();
    }
    expect(back.status).toBe('ok');
    expect(back.queues.map((q) => q.queue).sort()).toEqual(['emails', 'empty', 'orders', 'work']);
  });
});
