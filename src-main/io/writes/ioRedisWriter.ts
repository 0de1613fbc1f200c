import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import type { ApiError } from '../../contract/errors.js';
import type { RedisTarget } from '../../core/config/redisUrl.js';
import { classifyRedisError } from '../redis/redisErrors.js';
import type { RedisReply } from '../redis/redisReader.js';
import { assertActionCommand, type RedisWriter, type RedisWriterFactory } from './redisWriter.js';

export interface WriterTarget {
  target: RedisTarget;
  /** For messages: `127.0.0.1:6379`. */
  label: string;
  tls?: { caFile?: string; insecure?: boolean };
}

/**
 * Writers on a standalone server or a Sentinel-managed master, each its own short-lived
 * connection (the monitor's pool stays read-only). A Redis Cluster is refused: the actions'
 * transactions touch keys in different slots (a job hash, its queue, its registry).
 */
export function ioRedisWriterFactory(where: WriterTarget): RedisWriterFactory {
  return (db) => new IoRedisWriter(where, db);
}

class IoRedisWriter implements RedisWriter {
  #client: Redis | null = null;

  constructor(readonly where: WriterTarget, readonly db: number) {}

  async #ready(): Promise<Redis> {
    const { target, label, tls } = this.where;
    if (target.cluster) {
      throw { code: 'PERMISSION_DENIED', detail: `${label} is a Redis Cluster: task-status actions write several keys at once and are not offered on a cluster` } satisfies ApiError;
    }
    if (this.#client) return this.#client;
    const tlsOptions = target.tls ? {
      servername: isIP(target.host) ? undefined : target.host,
      ca: tls?.caFile ? readFileSync(tls.caFile) : undefined,
      rejectUnauthorized: !(tls?.insecure ?? false),
    } : undefined;
    const options: RedisOptions = {
      username: target.username ?? undefined,
      password: target.password ?? undefined,
      db: this.db,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
      commandTimeout: 10_000,
      retryStrategy: () => null,
      connectionName: 'task-status-action',
      ...(target.sentinel ? {
        sentinels: target.sentinel.sentinels.map((e) => ({ host: e.host, port: e.port })),
        name: target.sentinel.masterName,
        role: 'master' as const,
        sentinelUsername: target.sentinel.username ?? undefined,
        sentinelPassword: target.sentinel.password ?? undefined,
        sentinelRetryStrategy: () => null,
        ...(tlsOptions ? { tls: tlsOptions, sentinelTLS: tlsOptions, enableTLSForSentinelMode: true } : {}),
      } : { host: target.host, port: target.port, tls: tlsOptions }),
    };
    const client = new Redis(options);
    let lastError: unknown = null;
    client.on('error', (error: Error) => { lastError = error; });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw classifyRedisError(lastError ?? error, label);
    }
    this.#client = client;
    return client;
  }

  async read(commands: Parameters<RedisWriter['read']>[0]): Promise<(RedisReply | Error)[]> {
    for (const c of commands) assertActionCommand(c);
    const client = await this.#ready();
    const pipeline = client.pipeline();
    for (const c of commands) {
      if (c.binary) pipeline.callBuffer(c.cmd, ...c.args);
      else pipeline.call(c.cmd, ...c.args);
    }
    const results = await this.#settle(pipeline.exec());
    return (results ?? []).map(([e, v]) => (e ? e : (v as RedisReply)));
  }

  async transaction(commands: Parameters<RedisWriter['transaction']>[0]): Promise<(RedisReply | Error)[]> {
    for (const c of commands) assertActionCommand(c);
    const client = await this.#ready();
    const multi = client.multi();
    for (const c of commands) {
      if (c.binary) multi.callBuffer(c.cmd, ...c.args);
      else multi.call(c.cmd, ...c.args);
    }
    const results = await this.#settle(multi.exec());
    if (!results) throw { code: 'INTERNAL', detail: `${this.where.label}: the transaction was discarded` } satisfies ApiError;
    return results.map(([e, v]) => (e ? e : (v as RedisReply)));
  }

  async script(lua: string, keys: readonly string[], args: Parameters<RedisWriter['script']>[2]): Promise<RedisReply> {
    const client = await this.#ready();
    return this.#settle(client.eval(lua, keys.length, ...keys, ...args) as Promise<RedisReply>);
  }

  async #settle<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw classifyRedisError(error, this.where.label);
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  }
}
