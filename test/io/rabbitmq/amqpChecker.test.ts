import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRabbitUrl } from '../../../src-main/core/config/rabbitUrl.js';
import { AmqplibQueueChecker } from '../../../src-main/io/rabbitmq/amqpChecker.js';
import { waitFor } from '../../support/redisServer.js';
import { makeTlsFiles, startRabbit, type PrivateRabbit } from '../../support/rabbitServer.js';

/**
 * AMQP alone (no management plugin on the node): passive declares give the ready count and the
 * consumers, compared with `rabbitmqctl list_queues`; a missing queue is that queue's problem only.
 */
describe('AmqplibQueueChecker (live, private node without management)', () => {
  let rabbit: PrivateRabbit;
  let tlsDir: string;
  let tls: ReturnType<typeof makeTlsFiles>;
  let holder: ChannelModel;
  const slashVhost = 'qlab/v1';
  const checkers: AmqplibQueueChecker[] = [];
  const checker = (url: string, opts: { caFile?: string; insecure?: boolean } = {}) => {
    const c = new AmqplibQueueChecker({ target: parseRabbitUrl(url), tls: opts, timeoutMs: 3000 });
    checkers.push(c);
    return c;
  };
  const failure = async (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as { code: string; detail: string });

  beforeAll(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'task-status-rabbit-tls-'));
    tls = makeTlsFiles(tlsDir);
    rabbit = await startRabbit({ management: false, tls });
    rabbit.ctl(['add_vhost', slashVhost]);
    rabbit.ctl(['set_permissions', '-p', slashVhost, 'guest', '.*', '.*', '.*']);
    holder = await amqp.connect(rabbit.amqpUrl());
    const ch = await holder.createChannel();
    await ch.assertQueue('orders');
    for (let i = 0; i < 6; i++) ch.sendToQueue('orders', Buffer.from(`o${i}`));
    await ch.assertQueue('emails');
    for (let i = 0; i < 5; i++) ch.sendToQueue('emails', Buffer.from(`e${i}`));
    const cc = await holder.createChannel();
    await cc.prefetch(2);
    await cc.consume('emails', () => undefined, { noAck: false });
    await cc.consume('emails', () => undefined, { noAck: false });
    await ch.assertQueue('private', { exclusive: true });
    const vc = await (await amqp.connect(rabbit.amqpUrl({ vhost: slashVhost }))).createChannel();
    await vc.assertQueue('q1');
    for (let i = 0; i < 3; i++) vc.sendToQueue('q1', Buffer.from(`v${i}`));
    await vc.close();
    await waitFor('the consumers to hold their prefetch', () =>
      JSON.stringify(rabbit.listQueues('/', ['messages_unacknowledged']).find((q) => q.name === 'emails')) === '{"name":"emails","messages_unacknowledged":4}');
  });

  afterAll(async () => {
    for (const c of checkers) await c.close();
    await holder?.close().catch(() => undefined);
    await rabbit?.stop();
    rmSync(tlsDir, { recursive: true, force: true });
  });

  it('gives the ready count and consumers rabbitmqctl reports; unacknowledged messages are not in it', async () => {
    const c = checker(rabbit.amqpUrl());
    const checks = await c.checkQueues(['orders', 'emails']);
    const ctl = Object.fromEntries(rabbit.listQueues('/', ['messages_ready', 'consumers']).map((q) => [q.name, q]));
    expect(checks).toEqual([
      { name: 'orders', status: 'ok', messageCount: ctl.orders!.messages_ready, consumerCount: ctl.orders!.consumers },
      { name: 'emails', status: 'ok', messageCount: ctl.emails!.messages_ready, consumerCount: ctl.emails!.consumers },
    ]);
    expect(checks.map((q) => q.status === 'ok' && [q.messageCount, q.consumerCount])).toEqual([[6, 0], [1, 2]]);
    expect(c.serverVersion).toBe(rabbit.ctl(['-q', 'version']));
    // Connect, open both channels side by side, declare both side by side.
    expect(c.traffic.roundTrips).toBe(3);
    await c.checkQueues(['orders', 'emails']);
    expect(c.traffic.roundTrips).toBe(4);
  });

  it('a missing queue is an item-level result; the others are still read and its channel reopens next time', async () => {
    const c = checker(rabbit.amqpUrl());
    const first = await c.checkQueues(['orders', 'nope', 'emails']);
    expect(first).toEqual([
      { name: 'orders', status: 'ok', messageCount: 6, consumerCount: 0 },
      { name: 'nope', status: 'missing', detail: "no queue 'nope' in vhost '/'" },
      { name: 'emails', status: 'ok', messageCount: 1, consumerCount: 2 },
    ]);
    expect(await c.checkQueues(['nope', 'orders'])).toEqual([
      { name: 'nope', status: 'missing', detail: "no queue 'nope' in vhost '/'" },
      { name: 'orders', status: 'ok', messageCount: 6, consumerCount: 0 },
    ]);
    // Never created by the check: a passive declare does not declare.
    expect(rabbit.listQueues('/', []).map((q) => q.name)).not.toContain('nope');
  });

  it('an exclusive queue of another connection is refused for that queue alone (405 RESOURCE_LOCKED)', async () => {
    const c = checker(rabbit.amqpUrl());
    const [locked, orders] = await c.checkQueues(['private', 'orders']);
    expect(locked).toMatchObject({ name: 'private', status: 'error', error: { code: 'PERMISSION_DENIED' } });
    expect(locked!.status === 'error' && locked!.error.detail).toMatch(/exclusive queue of another connection/);
    expect(orders).toMatchObject({ status: 'ok', messageCount: 6 });
  });

  it('reads a vhost with a slash in it', async () => {
    const c = checker(rabbit.amqpUrl({ vhost: slashVhost }));
    expect(await c.checkQueues(['q1'])).toEqual([{ name: 'q1', status: 'ok', messageCount: 3, consumerCount: 0 }]);
  });

  it('reconnects after the broker closed its connection', async () => {
    const c = checker(rabbit.amqpUrl());
    await c.checkQueues(['orders']);
    rabbit.ctl(['close_all_connections', 'test']);
    await waitFor('the checker to see its connection closed', () => c.serverVersion === null);
    await c.connect();
    expect(await c.checkQueues(['orders'])).toEqual([{ name: 'orders', status: 'ok', messageCount: 6, consumerCount: 0 }]);
    // The holder was closed too; re-open it for the tests that follow.
    holder = await amqp.connect(rabbit.amqpUrl());
  });

  it('reads over TLS with the CA file, and says which when TLS does not fit', async () => {
    const port = rabbit.amqpsPort!;
    const ok = checker(`amqps://guest:guest@127.0.0.1:${port}/%2F`, { caFile: tls.caFile });
    expect(await ok.checkQueues(['orders'])).toEqual([{ name: 'orders', status: 'ok', messageCount: 6, consumerCount: 0 }]);
    const untrusted = await failure(checker(`amqps://guest:guest@127.0.0.1:${port}/%2F`).connect());
    expect(untrusted).toMatchObject({ code: 'TLS_REQUIRED' });
    expect(untrusted!.detail).toMatch(/certificate was not trusted/);
    const insecure = checker(`amqps://guest:guest@127.0.0.1:${port}/%2F`, { insecure: true });
    expect(await insecure.checkQueues(['orders'])).toMatchObject([{ status: 'ok' }]);
    // amqps:// to the plain port: the server does not speak TLS.
    expect(await failure(checker(`amqps://guest:guest@127.0.0.1:${rabbit.amqpPort}/%2F`, { insecure: true }).connect()))
      .toEqual({ code: 'TLS_REQUIRED', detail: `RabbitMQ at amqps://127.0.0.1:${rabbit.amqpPort} does not speak TLS: use amqp:// without the s` });
    // amqp:// to the TLS port: the server expects TLS.
    const plainToTls = await failure(checker(`amqp://guest:guest@127.0.0.1:${port}/%2F`).connect());
    expect(plainToTls).toEqual({ code: 'TLS_REQUIRED', detail: `RabbitMQ at amqp://127.0.0.1:${port} hung up on the AMQP handshake: it expects TLS (use amqps://)` });
  });

  it('says which: wrong password, vhost refused or missing, nothing listening', async () => {
    const where = `RabbitMQ at amqp://127.0.0.1:${rabbit.amqpPort}`;
    expect(await failure(checker(rabbit.amqpUrl({ password: 'wrong' })).connect()))
      .toEqual({ code: 'AUTH_FAILED', detail: `${where} refused the user "guest" or its password` });
    rabbit.ctl(['add_user', 'outsider', 'pw']);
    expect(await failure(checker(rabbit.amqpUrl({ user: 'outsider', password: 'pw' })).connect())).toEqual({
      code: 'PERMISSION_DENIED',
      detail: `${where} refused to open vhost "/" for the user "outsider": the vhost does not exist or the user has no permission on it (rabbitmqctl set_permissions -p VHOST USER …)`,
    });
    expect(await failure(checker(rabbit.amqpUrl({ vhost: 'no-such' })).connect())).toMatchObject({ code: 'PERMISSION_DENIED', detail: expect.stringContaining('vhost "no-such"') });
    expect(await failure(checker('amqp://guest:guest@127.0.0.1:1/%2F').connect()))
      .toEqual({ code: 'TARGET_UNREACHABLE', detail: 'RabbitMQ at amqp://127.0.0.1:1 refused the connection (is RabbitMQ running there?)' });
  });
});
