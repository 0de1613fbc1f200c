import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

// The helper itself: a private node on its own ports, reachable by rabbitmqctl and the API, gone after stop.
describe('private RabbitMQ node (test/support/rabbitServer.ts)', () => {
  let rabbit: PrivateRabbit;
  beforeAll(async () => {
    rabbit = await startRabbit({ management: true });
  });
  afterAll(async () => {
    await rabbit?.stop();
  });

  it('runs on its own ports, never 5672/15672', () => {
    expect(rabbit.amqpPort).not.toBe(5672);
    expect(rabbit.managementPort).not.toBe(15672);
    expect(rabbit.amqpUrl()).toBe(`amqp://guest:guest@127.0.0.1:${rabbit.amqpPort}/%2F`);
    expect(rabbit.amqpUrl({ vhost: 'a/b', user: 'u', password: 'p@ss' })).toBe(`amqp://u:p%40ss@127.0.0.1:${rabbit.amqpPort}/a%2Fb`);
  });

  it('answers rabbitmqctl and the management API for the same node', async () => {
    rabbit.ctl(['add_vhost', 'probe-check']);
    const vhosts = JSON.parse(rabbit.ctl(['-q', 'list_vhosts', '--formatter', 'json'])) as { name: string }[];
    expect(vhosts.map((v) => v.name).sort()).toEqual(['/', 'probe-check']);
    const overview = await rabbit.api('/api/overview') as { node: string; rabbitmq_version: string };
    expect(overview.node).toBe(rabbit.nodeName);
    expect(overview.rabbitmq_version).toMatch(/^3\./);
    expect(rabbit.listQueues('/', ['messages'])).toEqual([]);
  });

  it('stops and frees its ports', async () => {
    const port = rabbit.amqpPort;
    await rabbit.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
