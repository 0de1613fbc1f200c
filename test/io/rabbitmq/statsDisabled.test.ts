import amqp, { type ChannelModel } from 'amqplib';
import type { RabbitBrokerFigures } from '../../../src-main/contract/dashboard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSessionOptions } from '../../../src-main/bootstrap/createApp.js';
import { resolveRabbitConnection } from '../../../src-main/core/config/resolveRabbit.js';
import { systemClock } from '../../../src-main/io/clock.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';
import { RabbitConnectionSession } from '../../../src-main/monitor/rabbitSession.js';
import { rabbitQueueProbe } from '../../../src-main/probes/rabbitmq/rabbitQueueProbe.js';
import { startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/**
 * A node whose management metrics collector is off (`management_agent.disable_metrics_collector`):
 * the overview says `disable_stats`, and only `disable_stats=true&enable_queue_totals=true` still
 * lists the counts; consumers and rates are unknown, said so, never 0.
 */
describe('management API with the statistics collector off (live, private node)', () => {
  let rabbit: PrivateRabbit;
  let holder: ChannelModel;
  beforeAll(async () => {
    rabbit = await startRabbit({ management: true, config: ['management_agent.disable_metrics_collector = true'] });
    holder = await amqp.connect(rabbit.amqpUrl());
    const ch = await holder.createChannel();
    await ch.assertQueue('orders');
    for (let i = 0; i < 4; i++) ch.sendToQueue('orders', Buffer.from(`o${i}`));
    await ch.assertQueue('emails');
    for (let i = 0; i < 3; i++) ch.sendToQueue('emails', Buffer.from(`e${i}`));
    const cc = await holder.createChannel();
    await cc.prefetch(1);
    await cc.consume('emails', () => undefined, { noAck: false });
  });
  afterAll(async () => {
    await holder?.close().catch(() => undefined);
    await rabbit?.stop();
  });

  it('the overview says so, and the listing still has ready and unacknowledged counts equal to rabbitmqctl\'s', async () => {
    const connection = resolveRabbitConnection({ kind: 'rabbitmq', url: rabbit.amqpUrl(), apiUrl: rabbit.apiUrl() }, {});
    const management = new HttpRabbitManagement({ api: connection.target.api });
    const checker = new AmqplibQueueChecker({ target: connection.target });
    try {
      expect((await management.overview()).isStatsDisabled).toBe(true);
      const session = new RabbitConnectionSession({ connection, management, amqp: checker, probes: [rabbitQueueProbe], clock: systemClock, options: defaultSessionOptions });
      const ctl = Object.fromEntries(rabbit.listQueues('/', ['messages_ready', 'messages_unacknowledged']).map((q) => [q.name, [q.messages_ready, q.messages_unacknowledged]]));
      let view = await session.poll();
      for (let i = 0; i < 50 && JSON.stringify(view.queues.map((q) => [q.queue, [q.waiting, q.reserved]])) !== JSON.stringify([['emails', ctl.emails], ['orders', ctl.orders]]); i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = await session.poll();
      }
      expect(view.queues.map((q) => [q.queue, q.waiting, q.reserved])).toEqual([['emails', ...ctl.emails!], ['orders', ...ctl.orders!]]);
      expect(ctl.emails).toEqual([2, 1]);
      expect(view.status).toBe('degraded');
      expect(view.statusReason!.detail).toMatch(/statistics collector is off/);
      for (const q of view.queues) {
        expect([q.workers.online, q.throughputPerMin]).toEqual([null, null]);
        expect(q.notes.workers).toMatch(/not reported/);
      }
      expect(view.broker).toMatchObject({
        kind: 'rabbitmq', version: rabbit.ctl(['-q', 'version']), alarms: null,
        notes: { nodes: expect.stringMatching(/statistics collector is off/), alarms: expect.stringMatching(/statistics collector is off/) },
      });
      const broker = view.broker as RabbitBrokerFigures;
      expect(broker.nodes!.map((n) => [n.name, n.running, n.memoryUsedBytes, n.diskFreeBytes, n.fdUsedCount])).toEqual([[rabbit.nodeName, true, null, null, null]]);
    } finally {
      await management.close();
      await checker.close();
    }
  });
});
