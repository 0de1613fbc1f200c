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
 * Each queue has its own channel, kept open between polls, so the declares of one poll go side
 * by side in one round trip (a channel allows one declare at a time). A missing queue makes
 * RabbitMQ close that queue's channel (404 NOT_FOUND): it is reported for that queue alone and
 * its channel is opened again at the next poll. A passive declare answers the ready count and
 * consumers only: unacknowledged messages and rates are invisible here.
 */
export class AmqplibQueueChecker implements AmqpQueueChecker {
  readonly traffic: RabbitTraffic = { requests: 0, roundTrips: 0 };
  #connection: ChannelModel | null = null;
  #connecting: Promise<ChannelModel> | null = null;
  readonly #channels = new Map<string, Channel>();
  readonly #where: string;

  constructor(readonly options: AmqpCheckerOptions) {
    const { target } = options;
    this.#where = `RabbitMQ at ${target.tls ? 'amqps' : 'amqp'}://${target.host}:${target.port}`;
  }

  get serverVersion(): string | null {
    const version = (this.#connection?.connection.serverProperties as { version?: unknown } | undefined)?.version;
    return typeof version === 'string' ? version : null;
  }

  async connect(): Promise<void> {
    await this.#open();
  }

  async checkQueues(names: readonly string[]): Promise<AmqpQueueCheck[]> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return [];
    const connection = await this.#open();
    const toOpen = unique.filter((name) => !this.#channels.has(name));
    if (toOpen.length) {
      this.traffic.roundTrips++;
      await Promise.all(toOpen.map(async (name) => {
        this.traffic.requests++;
        this.#channels.set(name, await this.#openChannel(connection, name));
      }));
    }
    this.traffic.roundTrips++;
    this.traffic.requests += unique.length;
    const settled = await Promise.allSettled(unique.map((name) => this.#channels.get(name)!.checkQueue(name)));
    return settled.map((result, i): AmqpQueueCheck => {
      const name = unique[i]!;
      if (result.status === 'fulfilled') {
        return { name, status: 'ok', messageCount: result.value.messageCount, consumerCount: result.value.consumerCount };
      }
      // The broker closed this queue's channel; a new one is opened at the next check.
      this.#channels.delete(name);
      const error = result.reason as { code?: unknown; message?: string } | null;
      const message = String(error?.message ?? result.reason);
      if (error?.code === 404 || /NOT_FOUND/.test(message)) {
        return { name, status: 'missing', detail: message.replace(/^.*NOT_FOUND - /, '').replace(/"$/, '') };
      }
      if (this.#connection === null || error?.code === 320 || /connection (closed|ended)/i.test(message)) throw this.#classify(result.reason);
      return { name, status: 'error', error: this.#classify(result.reason) };
    });
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#channels.clear();
    if (connection) await connection.close().catch(() => undefined);
  }

  async #openChannel(connection: ChannelModel, name: string): Promise<Channel> {
    try {
      const channel = await connection.createChannel();
      // A 404 closes the channel with an 'error' event; the failed declare reports it.
      channel.on('error', () => undefined);
      channel.on('close', () => {
        if (this.#channels.get(name) === channel) this.#channels.delete(name);
      });
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
          this.#channels.clear();
        }
      });
      this.#connection = connection;
      return connection;
    } catch (error) {
      throw this.#classify(error, true);
    }
  }

  #classify(error: unknown, isHandshake = false): ApiError {
    const { target } = this.options;
    return classifyAmqpError(error, this.#where, { tls: target.tls, vhost: target.vhost, user: target.username, isHandshake });
  }
}
