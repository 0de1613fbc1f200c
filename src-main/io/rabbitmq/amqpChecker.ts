import { readFileSync } from 'node:fs';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { ApiError } from '../../contract/errors.js';
import type { RabbitTarget } from '../../core/config/rabbitUrl.js';
import { classifyAmqpError } from './rabbitErrors.js';
import type { AmqpQueueCheck, AmqpQueueChecker, RabbitTraffic } from './rabbitTypes.js';

export interface AmqpCheckerOptions {
  target: RabbitTarget;
  tls?: { caFile?: string; insecure?: boolean };
  /** Time limit of the connection handshake, in ms (default 5000). */
  timeoutMs?: number;
}

/**
 * AMQP alone, for brokers without the management plugin: one persistent connection (reopened
 * after it drops) and passive declares (`checkQueue`), which never create or change a queue.
 * A missing queue makes RabbitMQ close the channel (404), so the next check opens a new one.
 * A passive declare answers the ready count only: unacknowledged messages are invisible here.
 */
export class AmqplibQueueChecker implements AmqpQueueChecker {
  readonly traffic: RabbitTraffic = { requests: 0, roundTrips: 0 };
  #connection: ChannelModel | null = null;
  #connecting: Promise<ChannelModel> | null = null;
  #channel: Channel | null = null;
  readonly #where: string;

  constructor(readonly options: AmqpCheckerOptions) {
    const { target } = options;
    this.#where = `RabbitMQ at ${target.tls ? 'amqps' : 'amqp'}://${target.host}:${target.port}`;
  }

  async connect(): Promise<void> {
    await this.#open();
  }

  async checkQueues(names: readonly string[]): Promise<AmqpQueueCheck[]> {
    const results: AmqpQueueCheck[] = [];
    for (const name of names) {
      const channel = await this.#openChannel();
      this.traffic.requests++;
      this.traffic.roundTrips++;
      try {
        const reply = await channel.checkQueue(name);
        results.push({ name, exists: true, messageCount: reply.messageCount, consumerCount: reply.consumerCount });
      } catch (error) {
        this.#channel = null;
        if (/NOT_FOUND|404/.test(String((error as Error)?.message))) results.push({ name, exists: false });
        else throw this.#classify(error);
      }
    }
    return results;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#channel = null;
    if (connection) await connection.close().catch(() => undefined);
  }

  async #openChannel(): Promise<Channel> {
    if (this.#channel) return this.#channel;
    const connection = await this.#open();
    try {
      const channel = await connection.createChannel();
      // A 404 closes the channel with an 'error' event; the failed call reports it.
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.#channel === channel) this.#channel = null;
      });
      this.#channel = channel;
      return channel;
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #open(): Promise<ChannelModel> {
    if (this.#connection) return Promise.resolve(this.#connection);
    this.#connecting ??= this.#dial().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #dial(): Promise<ChannelModel> {
    const { target, tls, timeoutMs = 5000 } = this.options;
    let ca: Buffer[] | undefined;
    if (target.tls && tls?.caFile) {
      try {
        ca = [readFileSync(tls.caFile)];
      } catch (error) {
        throw { code: 'BAD_CONFIG', detail: `the CA file ${tls.caFile} cannot be read (${(error as Error).message})` } satisfies ApiError;
      }
    }
    this.traffic.requests++;
    this.traffic.roundTrips++;
    try {
      const connection = await amqp.connect({
        protocol: target.tls ? 'amqps' : 'amqp', hostname: target.host, port: target.port,
        username: target.username, password: target.password, vhost: target.vhost, heartbeat: 30,
      }, {
        timeout: timeoutMs,
        ...(target.tls ? { ca, rejectUnauthorized: !tls?.insecure, servername: /^[\d.]+$|:/.test(target.host) ? undefined : target.host } : {}),
      });
      connection.on('error', () => undefined);
      connection.on('close', () => {
        if (this.#connection === connection) {
          this.#connection = null;
          this.#channel = null;
        }
      });
      this.#connection = connection;
      return connection;
    } catch (error) {
      throw this.#classify(error);
    }
  }

  #classify(error: unknown): ApiError {
    const { target } = this.options;
    return classifyAmqpError(error, this.#where, { tls: target.tls, vhost: target.vhost, user: target.username });
  }
}
