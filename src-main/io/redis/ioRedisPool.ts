import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import type { ApiError } from '../../contract/errors.js';
import type { RedisTarget } from '../../core/config/redisUrl.js';
import { classifyRedisError } from './redisErrors.js';
import {
  readOnlyClientSubcommands, readOnlyCommands,
  type RedisCommand, type RedisReader, type RedisReply, type RedisServerConnection,
} from './redisReader.js';

export interface RedisPoolOptions {
  target: RedisTarget;
  /** For messages: `127.0.0.1:6379`. */
  label: string;
  tls?: { caFile?: string; insecure?: boolean };
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/** Traffic counters, for the monitor's own health figures and the benchmark. */
export interface RedisTraffic {
  commands: number;
  roundTrips: number;
}

/**
 * Persistent ioredis connections to one Redis server: one per database (SELECT is per
 * connection) plus one subscriber for pub/sub. Nothing is written: every command goes through
 * the read-only allowlist.
 */
export class IoRedisPool implements RedisServerConnection {
  readonly traffic: RedisTraffic = { commands: 0, roundTrips: 0 };
  readonly #clients = new Map<number, Redis>();
  /**
   * The last error event per client. ioredis reports why a connection failed (WRONGPASS, a TLS
   * alert) only as an event and then rejects with "Connection is closed", so the cause is kept.
   */
  readonly #lastError = new WeakMap<Redis, Error>();
  readonly #badDb = new WeakMap<Redis, string>();
  #subscriber: Redis | null = null;
  readonly #handlers = new Map<string, (channel: string, message: Buffer) => void>();

  constructor(readonly options: RedisPoolOptions) {}

  #redisOptions(db: number): RedisOptions {
    const { target, tls } = this.options;
    return {
      host: target.host,
      port: target.port,
      username: target.username ?? undefined,
      password: target.password ?? undefined,
      db,
      // RESP2 keeps replies plain arrays and works through proxies that reject HELLO 3.
      protocol: 2,
      lazyConnect: true,
      // A monitor must fail fast while the broker is down, not queue commands for later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: this.options.connectTimeoutMs ?? 5000,
      commandTimeout: this.options.commandTimeoutMs ?? 10_000,
      retryStrategy: (times) => Math.min(250 * times, 5000),
      connectionName: 'task-status',
      tls: target.tls
        ? {
            // SNI takes a host name only (RFC 6066); an IP address is checked against the certificate's SAN.
            servername: isIP(target.host) ? undefined : target.host,
            ca: tls?.caFile ? readFileSync(tls.caFile) : undefined,
            rejectUnauthorized: !(tls?.insecure ?? false),
          }
        : undefined,
    };
  }

  async #client(db: number): Promise<Redis> {
    let client = this.#clients.get(db);
    if (!client) {
      client = new Redis(this.#redisOptions(db));
      const created = client;
      created.on('error', (error: Error) => {
        this.#lastError.set(created, error);
        // ioredis reports a failed SELECT only as an event and then stays on database 0: a
        // database the server does not have must never show database 0's keys under its name.
        if (/DB index is out of range|invalid DB index/i.test(error.message)) this.#badDb.set(created, error.message);
      });
      created.on('ready', () => this.#lastError.delete(created));
      this.#clients.set(db, client);
    }
    if (client.status === 'wait') {
      try {
        await client.connect();
      } catch (error) {
        const failure = this.#classify(client, error);
        // A TLS-only server closes a plain connection as soon as it is opened.
        if (failure.code === 'TARGET_UNREACHABLE' && /closed the connection/.test(failure.detail) && !this.options.target.tls) {
          failure.detail += ' while connecting (if it expects TLS, use rediss://)';
        }
        throw failure;
      }
    }
    const badDb = this.#badDb.get(client);
    if (badDb) {
      throw { code: 'BAD_URL', detail: `${this.options.label} has no database ${db} (${badDb})` } satisfies ApiError;
    }
    return client;
  }

  #classify(client: Redis, error: unknown) {
    const cause = this.#lastError.get(client);
    const generic = /Connection is closed|Stream isn't writeable/i.test(String((error as Error)?.message));
    return classifyRedisError(generic && cause ? cause : error, this.options.label);
  }

  /** A read-only reader bound to one database. */
  reader(db: number): RedisReader {
    return {
      db,
      batch: (commands) => this.#batch(db, commands),
      scanKeys: async (pattern, opts) => (await this.#scan(db, pattern, opts)).map((k) => k.toString('utf8')),
      scanKeysBuffer: (pattern, opts) => this.#scan(db, pattern, opts),
    };
  }

  async #batch(db: number, commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]> {
    for (const c of commands) assertReadOnly(c);
    if (commands.length === 0) return [];
    const client = await this.#client(db);
    const pipeline = client.pipeline();
    for (const c of commands) {
      if (c.binary) pipeline.callBuffer(c.cmd, ...c.args);
      else pipeline.call(c.cmd, ...c.args);
    }
    this.traffic.commands += commands.length;
    this.traffic.roundTrips += 1;
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw this.#classify(client, error);
    }
    if (!results) throw this.#classify(client, new Error('Connection is closed'));
    const failures = results.filter(([e]) => e !== null);
    if (failures.length === results.length && failures.length > 0) {
      const first = this.#classify(client, failures[0]![0]);
      // A whole batch failing on auth or connection is the connection's problem, not an item's.
      if (first.code !== 'INTERNAL' && first.code !== 'PERMISSION_DENIED') throw first;
    }
    return results.map(([e, v]) => (e ? e : (v as RedisReply)));
  }

  async #scan(db: number, pattern: string, opts?: { type?: string; limit?: number }): Promise<Buffer[]> {
    const client = await this.#client(db);
    const found: Buffer[] = [];
    let cursor = '0';
    do {
      const args: (string | number)[] = [cursor, 'MATCH', pattern, 'COUNT', 1000];
      if (opts?.type) args.push('TYPE', opts.type);
      this.traffic.commands += 1;
      this.traffic.roundTrips += 1;
      let reply: [Buffer, Buffer[]];
      try {
        reply = (await client.callBuffer('SCAN', ...args)) as [Buffer, Buffer[]];
      } catch (error) {
        throw this.#classify(client, error);
      }
      cursor = reply[0].toString();
      for (const key of reply[1]) {
        found.push(key);
        if (opts?.limit !== undefined && found.length >= opts.limit) return found;
      }
    } while (cursor !== '0');
    return found;
  }

  /** INFO of the server (any database's connection will do). */
  async info(section?: string): Promise<string> {
    const [reply] = await this.#batch(0, [{ cmd: 'INFO', args: section ? [section] : [] }]);
    if (reply instanceof Error) throw classifyRedisError(reply, this.options.label);
    return String(reply);
  }

  /**
   * The subscriber connection for PSUBSCRIBE. Pub/sub is server-wide, so one serves every
   * database; `onMessage` receives the channel and the raw message of its patterns.
   */
  async subscribe(patterns: string[], onMessage: (channel: string, message: Buffer) => void): Promise<void> {
    if (patterns.length === 0) return;
    for (const p of patterns) this.#handlers.set(p, onMessage);
    if (!this.#subscriber) {
      const sub = new Redis({ ...this.#redisOptions(0), enableOfflineQueue: true, maxRetriesPerRequest: null });
      sub.on('error', () => {});
      sub.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => {
        this.#handlers.get(pattern.toString())?.(channel.toString(), message);
      });
      this.#subscriber = sub;
      try {
        await sub.connect();
      } catch (error) {
        throw classifyRedisError(error, this.options.label);
      }
    }
    this.traffic.commands += 1;
    this.traffic.roundTrips += 1;
    await this.#subscriber.psubscribe(...patterns);
  }

  async close(): Promise<void> {
    const all = [...this.#clients.values(), ...(this.#subscriber ? [this.#subscriber] : [])];
    this.#clients.clear();
    this.#subscriber = null;
    await Promise.all(all.map(async (c) => {
      try { await c.quit(); } catch { c.disconnect(); }
    }));
  }
}

function assertReadOnly(command: RedisCommand): void {
  const name = command.cmd.toUpperCase();
  const allowed = readOnlyCommands.has(name)
    && (name !== 'CLIENT' || readOnlyClientSubcommands.has(String(command.args[0] ?? '').toUpperCase()));
  if (!allowed) throw new Error(`refused to send ${name}: task-status only reads from a monitored Redis`);
}
