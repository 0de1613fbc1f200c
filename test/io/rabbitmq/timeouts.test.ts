import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRabbitUrl } from '../../../src-main/core/config/rabbitUrl.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';

/** A listener that accepts connections and never says a word: both clients must say "timed out". */
describe('a broker that accepts and never answers', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('the management API times out, naming it', async () => {
    const api = new HttpRabbitManagement({ api: parseRabbitUrl('amqp://h', `http://127.0.0.1:${port}`).api, timeoutMs: 300 });
    await expect(api.overview()).rejects.toEqual({ code: 'TIMEOUT', detail: `RabbitMQ management API at http://127.0.0.1:${port} did not answer in time` });
    await api.close();
  });

  it('the AMQP handshake times out, naming it', async () => {
    const checker = new AmqplibQueueChecker({ target: parseRabbitUrl(`amqp://127.0.0.1:${port}/%2F`), timeoutMs: 300 });
    await expect(checker.connect()).rejects.toEqual({ code: 'TIMEOUT', detail: `RabbitMQ at amqp://127.0.0.1:${port} did not answer in time` });
    await checker.close();
  });
});
