import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { ApiError } from '../../contract/errors.js';
import type { RabbitTarget } from '../../core/config/rabbitUrl.js';
import type { AmqpEventBinding, AmqpEventListener, AmqpEventListenerStatus, AmqpEventMessage } from './celeryEventsTypes.js';
import { classifyAmqpError } from './rabbitErrors.js';

export interface AmqpEventListenerOptions {
  target: RabbitTarget;
  tls?: { caFile?: string; insecure?: boolean };
  /** Time limit of the connection handshake, in ms (default 5000). */
  timeoutMs?: number;
  /** Name of the private queue; default `celeryev.task-status.<random hex>`. */
  queueName?: string;
}

/**
 * The one event subscription task-status makes on a RabbitMQ vhost (Celery's `celeryev` topic
 * exchange). The exchange is checked passively, never declared: Celery declares it when a worker
 * or producer first sends an event, so until then `status.error` says it is missing and the next
 * `listen` tries again. The queue is exclusive (RabbitMQ 4.3+ refuses transient non-exclusive
 * queues), auto-delete and non-durable, with a message TTL so that a stalled monitor cannot make
 * the broker hold events for long; it is consumed without acks, as Celery's own event receiver
 * does. It lives as long as the connection: closing or losing it removes the queue.
 */
export class AmqplibEventListener implements AmqpEventListener {
  readonly traffic = { requests: 0, roundTrips: 0 };
  #status: AmqpEventListenerStatus = { isListening: false, queue: null, error: null };
  #connection: ChannelModel | null = null;
  #listening: Promise<AmqpEventListenerStatus> | null = null;
  #isClosed = false;
  readonly #where: string;
  readonly #queueName: string;

  constructor(readonly options: AmqpEventListenerOptions) {
    const { target } = options;
    this.#where = `RabbitMQ at ${target.tls ? 'amqps' : 'amqp'}://${target.host}:${target.port}`;
    this.#queueName = options.queueName ?? `celeryev.task-status.${randomBytes(8).toString('hex')}`;
  }

  get status(): AmqpEventListenerStatus {
    return this.#status;
  }

  listen(binding: AmqpEventBinding, onMessage: (message: AmqpEventMessage) => void): Promise<AmqpEventListenerStatus> {
    if (this.#status.isListening || this.#isClosed) return Promise.resolve(this.#status);
    this.#listening ??= this.#start(binding, onMessage).finally(() => {
      this.#listening = null;
    });
    return this.#listening;
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    await this.#listening?.catch(() => undefined);
    const connection = this.#connection;
    this.#connection = null;
    this.#status = { isListening: false, queue: null, error: null };
    if (connection) await connection.close().catch(() => undefined);
  }

  async #start(binding: AmqpEventBinding, onMessage: (message: AmqpEventMessage) => void): Promise<AmqpEventListenerStatus> {
    let channel: Channel;
    try {
      const connection = await this.#open();
      channel = await connection.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => this.#lost({ code: 'TARGET_UNREACHABLE', detail: `${this.#where}: the events channel was closed` }));
    } catch (error) {
      return this.#fail(this.#classify(error));
    }
    try {
      this.#count();
      await channel.checkExchange(binding.exchange);
    } catch (error) {
      if (/NOT_FOUND|404/.test(String((error as Error)?.message))) {
        return this.#fail({ code: 'BAD_URL', detail: `no exchange "${binding.exchange}" in vhost "${this.options.target.vhost}" yet (Celery declares it when a worker starts)` });
      }
      return this.#fail(this.#classify(error));
    }
    try {
      this.#count();
      const { queue } = await channel.assertQueue(this.#queueName, { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-message-ttl': 60_000 } });
      for (const key of binding.routingKeys) {
        this.#count();
        await channel.bindQueue(queue, binding.exchange, key);
      }
      this.#count();
      await channel.consume(queue, (message) => {
        if (!message) return;
        onMessage({
          routingKey: message.fields.routingKey,
          content: message.content,
          contentType: typeof message.properties.contentType === 'string' ? message.properties.contentType : null,
          contentEncoding: typeof message.properties.contentEncoding === 'string' ? message.properties.contentEncoding : null,
        });
      }, { noAck: true, exclusive: true });
      this.#status = { isListening: true, queue, error: null };
      return this.#status;
    } catch (error) {
      await channel.close().catch(() => undefined);
      return this.#fail(this.#classify(error));
    }
  }

  #count(): void {
    this.traffic.requests++;
    this.traffic.roundTrips++;
  }

  #fail(error: ApiError): AmqpEventListenerStatus {
    this.#status = { isListening: false, queue: null, error };
    return this.#status;
  }

  #lost(error: ApiError): void {
    if (this.#isClosed) return;
    if (this.#status.isListening) this.#status = { isListening: false, queue: null, error };
  }

  async #open(): Promise<ChannelModel> {
    if (this.#connection) return this.#connection;
    const { target, tls, timeoutMs = 5000 } = this.options;
    let ca: Buffer[] | undefined;
    if (target.tls && tls?.caFile) {
      try {
        ca = [readFileSync(tls.caFile)];
      } catch (error) {
        throw { code: 'BAD_CONFIG', detail: `the CA file ${tls.caFile} cannot be read (${(error as Error).message})` } satisfies ApiError;
      }
    }
    this.#count();
    const connection = await amqp.connect({
      protocol: target.tls ? 'amqps' : 'amqp', hostname: target.host, port: target.port,
      username: target.username, password: target.password, vhost: target.vhost, heartbeat: 30,
    }, {
      timeout: timeoutMs,
      clientProperties: { connection_name: 'task-status (Celery events)' },
      ...(target.tls ? { ca, rejectUnauthorized: !tls?.insecure, servername: /^[\d.]+$|:/.test(target.host) ? undefined : target.host } : {}),
    });
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (this.#connection === connection) this.#connection = null;
      this.#lost({ code: 'TARGET_UNREACHABLE', detail: `${this.#where}: the events connection was lost` });
    });
    if (this.#isClosed) {
      await connection.close().catch(() => undefined);
      throw { code: 'INTERNAL', detail: 'closed' } satisfies ApiError;
    }
    this.#connection = connection;
    return connection;
  }

  #classify(error: unknown): ApiError {
    if (typeof error === 'object' && error !== null && 'code' in error && 'detail' in error) return error as ApiError;
    const { target } = this.options;
    return classifyAmqpError(error, this.#where, { tls: target.tls, vhost: target.vhost, user: target.username });
  }
}
