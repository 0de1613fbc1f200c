import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSessionOptions } from '../../../src-main/bootstrap/createApp.js';
import { parseRabbitUrl } from '../../../src-main/core/config/rabbitUrl.js';
import { resolveRabbitConnection } from '../../../src-main/core/config/resolveRabbit.js';
import { systemClock } from '../../../src-main/io/clock.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { HttpRabbitManagement } from '../../../src-main/io/rabbitmq/managementClient.js';
import { RabbitConnectionSession } from '../../../src-main/monitor/rabbitSession.js';
import { rabbitQueueProbe } from '../../../src-main/probes/rabbitmq/rabbitQueueProbe.js';
import { makeTlsFiles, startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/** amqps:// and an https:// management API, with a CA file, insecure mode, and the mismatches named. */
describe('RabbitMQ over TLS, AMQP and the management API (live, private node)', () => {
  let rabbit: PrivateRabbit;
  let dir: string;
  let tls: ReturnType<typeof makeTlsFiles>;
  let holder: ChannelModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'task-status-rabbit-tls-'));
    tls = makeTlsFiles(dir);
    rabbit = await startRabbit({ management: true, tls, managementTls: true });
    holder = await amqp.connect(rabbit.amqpUrl());
    const ch = await holder.createChannel();
    await ch.assertQueue('secure');
    for (let i = 0; i < 3; i++) ch.sendToQueue('secure', Buffer.from(`s${i}`));
  });
  afterAll(async () => {
    await holder?.close().catch(() => undefined);
    await rabbit?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const https = () => `https://127.0.0.1:${rabbit.managementTlsPort}`;
  const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as { code: string; detail: string });

  it('the https API with the CA file, or insecure; untrusted and plain-to-TLS say which', async () => {
    const api = (url: string, opts: { caFile?: string; insecure?: boolean } = {}) => new HttpRabbitManagement({ api: parseRabbitUrl('amqp://127.0.0.1', url).api, tls: opts, timeoutMs: 3000 });
    const trusted = api(https(), { caFile: tls.caFile });
    expect((await trusted.overview()).rabbitmqVersion).toBe(rabbit.ctl(['-q', 'version']));
    await trusted.close();
    const insecure = api(https(), { insecure: true });
    expect((await insecure.overview()).rabbitmqVersion).toMatch(/^3\./);
    await insecure.close();
    const untrusted = api(https());
    const error = await fail(untrusted.overview());
    expect(error).toMatchObject({ code: 'TLS_REQUIRED' });
    expect(error!.detail).toMatch(/the server certificate was not trusted .*give a CA file or insecure mode/);
    await untrusted.close();
    const plain = api(`http://127.0.0.1:${rabbit.managementTlsPort}`);
    const plainError = await fail(plain.overview());
    expect(plainError).toEqual({ code: 'TLS_REQUIRED', detail: `RabbitMQ management API at http://127.0.0.1:${rabbit.managementTlsPort} answered with something other than HTTP: it expects TLS (use https://)` });
    await plain.close();
  });

  it('a session on amqps:// with an https API and tls.caFile reads every figure', async () => {
    const connection = resolveRabbitConnection({ kind: 'rabbitmq', url: rabbit.amqpsUrl(), apiUrl: https(), tls: { caFile: tls.caFile } }, {});
    const management = new HttpRabbitManagement({ api: connection.target.api, tls: connection.tls });
    const checker = new AmqplibQueueChecker({ target: connection.target, tls: connection.tls });
    try {
      const session = new RabbitConnectionSession({ connection, management, amqp: checker, probes: [rabbitQueueProbe], clock: systemClock, options: defaultSessionOptions });
      let view = await session.poll();
      for (let i = 0; i < 100 && view.queues.find((q) => q.queue === 'secure')?.waiting !== 3; i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = await session.poll();
      }
      expect(view.status).toBe('ok');
      expect(view.queues.map((q) => [q.queue, q.waiting, q.reserved, q.workers.online])).toEqual([['secure', 3, 0, 0]]);
      expect(rabbit.listQueues('/', ['messages_ready'])).toEqual([{ name: 'secure', messages_ready: 3 }]);
      expect(view.broker).toMatchObject({ kind: 'rabbitmq', alarms: [] });
    } finally {
      await management.close();
      await checker.close();
    }
  });
});
