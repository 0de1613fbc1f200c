import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRabbitUrl } from '../../../src-main/core/config/rabbitUrl.js';
import { rabbitBrokerFigures } from '../../../src-main/io/rabbitmq/brokerFigures.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';
import type { RabbitQueueStats } from '../../../src-main/io/rabbitmq/rabbitTypes.js';
import { waitFor } from '../../support/redisServer.js';
import { startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/**
 * The management API client against a private RabbitMQ 3.10 node with rabbitmq_management:
 * every count is compared with `rabbitmqctl list_queues` (the broker's own view, read
 * independently) once the API's statistics have caught up with it.
 */
describe('HttpRabbitManagement (live, private node)', () => {
  let rabbit: PrivateRabbit;
  let publisher: ChannelModel;
  let consumer: ChannelModel;
  const slashVhost = 'qlab/v1';
  const client = (opts: { pageSize?: number; user?: string; password?: string; vhost?: string } = {}) => new HttpRabbitManagement({
    api: parseRabbitUrl(rabbit.amqpUrl({ user: opts.user, password: opts.password, vhost: opts.vhost }), rabbit.apiUrl({ user: opts.user, password: opts.password })).api,
    pageSize: opts.pageSize,
  });

  /** The API's counts, read with curl-like GETs, agree with rabbitmqctl's for every queue of the vhost. */
  async function statsSettled(vhost: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const api = await rabbit.api(`/api/queues/${encodeURIComponent(vhost)}?columns=name,messages_ready,messages_unacknowledged,consumers`) as Record<string, unknown>[];
      const fromApi = JSON.stringify(api.map((q) => [q.name, q.messages_ready, q.messages_unacknowledged, q.consumers]).sort());
      const ctl = JSON.stringify(rabbit.listQueues(vhost, ['messages_ready', 'messages_unacknowledged', 'consumers'])
        .map((q) => [q.name, q.messages_ready, q.messages_unacknowledged, q.consumers]).sort());
      if (fromApi === ctl) return;
      if (Date.now() > deadline) throw new Error(`the management API's statistics for vhost ${vhost} never matched rabbitmqctl: ${fromApi} vs ${ctl}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    rabbit = await startRabbit({ management: true, config: ['collect_statistics_interval = 500'] });
    rabbit.ctl(['add_vhost', slashVhost]);
    rabbit.ctl(['set_permissions', '-p', slashVhost, 'guest', '.*', '.*', '.*']);
    rabbit.ctl(['add_vhost', 'paged']);
    rabbit.ctl(['set_permissions', '-p', 'paged', 'guest', '.*', '.*', '.*']);
    publisher = await amqp.connect(rabbit.amqpUrl());
    const ch = await publisher.createChannel();
    // "orders": 7 ready, no consumer. "emails": 5 published, a consumer with prefetch 2 holds 2 unacked.
    // "acked": 4 published then fetched and acknowledged (message_stats present). "fresh": never used.
    await ch.assertQueue('orders');
    for (let i = 0; i < 7; i++) ch.sendToQueue('orders', Buffer.from(`o${i}`));
    await ch.assertQueue('emails');
    for (let i = 0; i < 5; i++) ch.sendToQueue('emails', Buffer.from(`e${i}`));
    await ch.assertQueue('acked', { arguments: { 'x-dead-letter-exchange': 'dlx' } });
    for (let i = 0; i < 4; i++) ch.sendToQueue('acked', Buffer.from(`a${i}`));
    await ch.assertQueue('fresh');
    await ch.assertQueue('quorum1', { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (let i = 0; i < 2; i++) ch.sendToQueue('quorum1', Buffer.from(`q${i}`), { timestamp: 1_700_000_000 });
    await ch.assertQueue('stamped');
    ch.sendToQueue('stamped', Buffer.from('s0'), { timestamp: 1_700_000_000 });
    ch.sendToQueue('stamped', Buffer.from('s1'), { timestamp: 1_700_000_100 });
    for (let got = 0; got < 4;) {
      const m = await ch.get('acked');
      if (m) {
        ch.ack(m);
        got++;
      }
    }
    consumer = await amqp.connect(rabbit.amqpUrl());
    const cc = await consumer.createChannel();
    await cc.prefetch(2);
    await cc.consume('emails', () => undefined, { noAck: false });
    const vc = await (await amqp.connect(rabbit.amqpUrl({ vhost: slashVhost }))).createChannel();
    await vc.assertQueue('q1');
    for (let i = 0; i < 3; i++) vc.sendToQueue('q1', Buffer.from(`v${i}`));
    const pc = await (await amqp.connect(rabbit.amqpUrl({ vhost: 'paged' }))).createChannel();
    for (let i = 0; i < 7; i++) {
      await pc.assertQueue(`p${i}`);
      for (let j = 0; j < i; j++) pc.sendToQueue(`p${i}`, Buffer.from('x'));
    }
    await vc.close();
    await pc.close();
    await new Promise((r) => setTimeout(r, 200));
    await statsSettled('/');
    await statsSettled(slashVhost);
    await statsSettled('paged');
  });

  afterAll(async () => {
    await consumer?.close().catch(() => undefined);
    await publisher?.close().catch(() => undefined);
    await rabbit?.stop();
  });

  const byName = (queues: RabbitQueueStats[]) => Object.fromEntries(queues.map((q) => [q.name, q]));

  it('lists the default vhost "/" with the counts rabbitmqctl reports', async () => {
    const api = client();
    const listing = await api.listQueues('/');
    const ctl = rabbit.listQueues('/', ['messages_ready', 'messages_unacknowledged', 'consumers']);
    expect(listing.pages).toBe(1);
    expect(listing.queues.map((q) => q.name)).toEqual(['acked', 'emails', 'fresh', 'orders', 'quorum1', 'stamped']);
    expect(listing.queues.map((q) => [q.name, q.messagesReady, q.messagesUnacknowledged, q.consumers]))
      .toEqual(ctl.map((q) => [q.name, q.messages_ready, q.messages_unacknowledged, q.consumers]).sort());
    const q = byName(listing.queues);
    // The figures of the set-up, as rabbitmqctl also said.
    expect([q.orders!.messagesReady, q.orders!.messagesUnacknowledged, q.orders!.consumers]).toEqual([7, 0, 0]);
    expect([q.emails!.messagesReady, q.emails!.messagesUnacknowledged, q.emails!.consumers]).toEqual([3, 2, 1]);
    expect(q.acked!.arguments).toEqual({ 'x-dead-letter-exchange': 'dlx' });
    expect(q.orders!.type).toBe('classic');
    // A quorum queue: counts as any queue, no head message timestamp (classic queues only).
    expect([q.quorum1!.type, q.quorum1!.messagesReady, q.quorum1!.headMessageTimestampMs]).toEqual(['quorum', 2, undefined]);
    expect(q.orders!.vhost).toBe('/');
    expect(q.orders!.source).toBe('management');
    await api.close();
  });

  it('reads rates where RabbitMQ has message_stats, and leaves them unknown on a queue never used', async () => {
    const api = client();
    const q = byName((await api.listQueues('/')).queues);
    // A queue that never had traffic has no message_stats at all: unknown, not 0 and not an error.
    expect(q.fresh!.rates).toBeUndefined();
    expect(q.acked!.rates).toBeDefined();
    const raw = (await rabbit.api('/api/queues/%2F/acked')) as { message_stats: Record<string, { rate: number } | number> };
    expect(Object.keys(raw.message_stats)).toContain('ack_details');
    expect(typeof q.acked!.rates!.ack).toBe('number');
    expect(typeof q.acked!.rates!.publish).toBe('number');
    await api.close();
  });

  it('reads the head message timestamp a publisher set (seconds → ms), and nothing when none was set', async () => {
    const api = client();
    const q = byName((await api.listQueues('/')).queues);
    expect(q.stamped!.headMessageTimestampMs).toBe(1_700_000_000_000);
    expect(q.orders!.headMessageTimestampMs).toBeUndefined();
    await api.close();
  });

  it('encodes a vhost with a slash in it (qlab/v1 → qlab%2Fv1)', async () => {
    const api = client({ vhost: slashVhost });
    const listing = await api.listQueues(slashVhost);
    const ctl = rabbit.listQueues(slashVhost, ['messages_ready', 'consumers']);
    expect(listing.queues.map((q) => [q.name, q.vhost, q.messagesReady, q.consumers])).toEqual(ctl.map((q) => [q.name, slashVhost, q.messages_ready, q.consumers]));
    expect(listing.queues.map((q) => [q.name, q.messagesReady])).toEqual([['q1', 3]]);
    await api.close();
  });

  it('pages through a vhost: page 1, then the rest side by side; every queue once, in name order', async () => {
    const api = client({ pageSize: 3 });
    const listing = await api.listQueues('paged');
    const ctl = rabbit.listQueues('paged', ['messages_ready']);
    expect(listing.pages).toBe(3);
    expect(api.traffic.requests).toBe(3);
    expect(listing.queues.map((q) => [q.name, q.messagesReady])).toEqual(ctl.map((q) => [q.name, q.messages_ready]).sort());
    expect(listing.queues.map((q) => q.messagesReady)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await api.close();
  });

  it('an empty vhost is zero queues on one page, not an error', async () => {
    rabbit.ctl(['add_vhost', 'empty']);
    rabbit.ctl(['set_permissions', '-p', 'empty', 'guest', '.*', '.*', '.*']);
    const api = client();
    expect(await api.listQueues('empty')).toEqual({ queues: [], pages: 0 });
    await api.close();
  });

  it('reads the overview and every node, as the API and rabbitmqctl report them', async () => {
    const api = client();
    const overview = await api.overview();
    expect(overview.rabbitmqVersion).toBe(rabbit.ctl(['-q', 'version']));
    expect(overview.isStatsDisabled).toBe(false);
    // Memory and fds move with every statistics emission: compare with an independent read taken
    // between two equal reads of the API, so both saw the same emission.
    let nodes = await api.nodes();
    let independent: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      independent = await rabbit.api('/api/nodes') as Record<string, unknown>[];
      const again = await api.nodes();
      if (JSON.stringify(again) === JSON.stringify(nodes)) break;
      nodes = again;
    }
    expect(nodes).toHaveLength(1);
    const [node] = nodes;
    const n = independent[0]!;
    expect(node).toEqual({
      name: rabbit.nodeName, running: true,
      memUsed: n.mem_used, memLimit: n.mem_limit, memAlarm: false,
      diskFree: n.disk_free, diskFreeLimit: n.disk_free_limit, diskFreeAlarm: false,
      fdUsed: n.fd_used, fdTotal: n.fd_total, socketsUsed: n.sockets_used, socketsTotal: n.sockets_total,
      procUsed: n.proc_used, procTotal: n.proc_total, uptimeMs: n.uptime, partitions: [],
    });
    const figures = rabbitBrokerFigures(1000, overview, nodes);
    expect(figures).toMatchObject({ kind: 'rabbitmq', version: overview.rabbitmqVersion, alarms: [], notes: {} });
    expect(figures.nodes![0]).toMatchObject({ name: rabbit.nodeName, memoryUsedBytes: n.mem_used, memoryLimitBytes: n.mem_limit, fdUsedCount: n.fd_used, fdTotalCount: n.fd_total, diskFreeBytes: n.disk_free });
    await api.close();
  });

  it('reports memory and disk alarms raised on the node (as rabbit_alarm has them)', async () => {
    const api = client();
    try {
      rabbit.ctl(['set_vm_memory_high_watermark', 'absolute', '1']);
      rabbit.ctl(['set_disk_free_limit', '1000000000000000']);
      await waitFor('both alarms in rabbit_alarm', () => {
        const alarms = rabbit.ctl(['eval', 'rabbit_alarm:get_alarms().']);
        return alarms.includes('memory') && alarms.includes('disk');
      });
      let nodes = await api.nodes();
      for (let i = 0; i < 100 && !(nodes[0]?.memAlarm && nodes[0]?.diskFreeAlarm); i++) {
        await new Promise((r) => setTimeout(r, 200));
        nodes = await api.nodes();
      }
      expect([nodes[0]!.memAlarm, nodes[0]!.diskFreeAlarm]).toEqual([true, true]);
      expect(nodes[0]!.memLimit).toBe(1);
      expect(nodes[0]!.diskFreeLimit).toBe(1e15);
      const figures = rabbitBrokerFigures(1000, await api.overview(), nodes);
      expect(figures.alarms).toEqual([`memory alarm on ${rabbit.nodeName}`, `disk alarm on ${rabbit.nodeName}`]);
    } finally {
      rabbit.ctl(['set_vm_memory_high_watermark', '0.4']);
      rabbit.ctl(['set_disk_free_limit', '50000000']);
      await api.close();
    }
  });

  it('says which: wrong password, user without the management tag, vhost not permitted, no such vhost, nothing listening, TLS expected', async () => {
    rabbit.ctl(['add_user', 'plain', 'pw']);
    rabbit.ctl(['set_permissions', '-p', '/', 'plain', '.*', '.*', '.*']);
    rabbit.ctl(['add_user', 'watcher', 'pw']);
    rabbit.ctl(['set_user_tags', 'watcher', 'management']);
    const reject = async (api: HttpRabbitManagement, call: (a: HttpRabbitManagement) => Promise<unknown>) => {
      try {
        await call(api);
        return null;
      } catch (error) {
        return error as { code: string; detail: string };
      } finally {
        await api.close();
      }
    };
    const where = `RabbitMQ management API at http://127.0.0.1:${rabbit.managementPort}`;
    expect(await reject(client({ password: 'nope' }), (a) => a.overview()))
      .toEqual({ code: 'AUTH_FAILED', detail: `${where} refused the user "guest" or its password` });
    expect(await reject(client({ user: 'plain', password: 'pw' }), (a) => a.listQueues('/')))
      .toEqual({ code: 'PERMISSION_DENIED', detail: `${where}: the user "plain" may not read the vhost's queues (/api/queues/%2F) (Not management user)` });
    expect(await reject(client({ user: 'watcher', password: 'pw' }), (a) => a.listQueues('/')))
      .toEqual({ code: 'PERMISSION_DENIED', detail: `${where}: the user "watcher" may not read the vhost's queues (/api/queues/%2F) (User not authorised to access virtual host)` });
    // A management user without the monitoring tag may not read the nodes.
    expect(await reject(client({ user: 'watcher', password: 'pw' }), (a) => a.nodes()))
      .toEqual({ code: 'PERMISSION_DENIED', detail: `${where}: the user "watcher" may not read /api/nodes (Not monitor user)` });
    expect(await reject(client(), (a) => a.listQueues('no-such-vhost')))
      .toEqual({ code: 'BAD_URL', detail: `${where}: no vhost "no-such-vhost" (404 Not Found)` });
    const closed = new HttpRabbitManagement({ api: parseRabbitUrl('amqp://127.0.0.1:1/', 'http://127.0.0.1:1').api });
    expect(await reject(closed, (a) => a.overview())).toMatchObject({ code: 'TARGET_UNREACHABLE' });
    const tlsToPlain = new HttpRabbitManagement({ api: parseRabbitUrl('amqp://127.0.0.1/', `https://127.0.0.1:${rabbit.managementPort}`).api, tls: { insecure: true } });
    expect(await reject(tlsToPlain, (a) => a.overview())).toMatchObject({ code: 'TLS_REQUIRED' });
  });
});
