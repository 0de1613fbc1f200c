/**
 * The narrow, read-only view of one Redis database that probes get. The implementation refuses
 * every command outside a read-only allowlist, so a probe cannot write to a monitored broker even
 * by mistake, and counts commands and round trips for the monitor's own health figures.
 */
export type RedisArg = string | number | Buffer;

export interface RedisCommand {
  /** Command name, e.g. `LLEN`. */
  cmd: string;
  args: readonly RedisArg[];
  /** Return bulk strings as Buffer (binary-safe) instead of UTF-8 strings. */
  binary?: boolean;
}

/** A reply as ioredis gives it: integers as numbers, bulk strings as string or Buffer. */
export type RedisReply = null | number | string | Buffer | RedisReply[];

export interface RedisReader {
  /** The database this reader is bound to. */
  readonly db: number;
  /**
   * Sends every command in one pipelined round trip. A command that fails yields an `Error` in its
   * slot (item-level); a connection failure rejects the whole batch.
   */
  batch(commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]>;
  /**
   * SCAN this database for keys matching a glob (discovery and on-demand lookups only, never
   * per poll). Stops after `limit` keys when given.
   */
  scanKeys(pattern: string, options?: { type?: string; limit?: number }): Promise<string[]>;
  /** Same as scanKeys, binary-safe keys. */
  scanKeysBuffer(pattern: string, options?: { type?: string; limit?: number }): Promise<Buffer[]>;
}

/** Commands a poll may send. Anything else is refused before it leaves the process. */
export const readOnlyCommands: ReadonlySet<string> = new Set([
  'PING', 'INFO', 'TIME', 'DBSIZE', 'TYPE', 'EXISTS', 'TTL', 'PTTL', 'STRLEN',
  'GET', 'MGET',
  'LLEN', 'LINDEX', 'LRANGE', 'LPOS',
  'HGET', 'HMGET', 'HGETALL', 'HLEN', 'HEXISTS', 'HKEYS', 'HSCAN',
  'SMEMBERS', 'SCARD', 'SISMEMBER', 'SSCAN',
  'ZCARD', 'ZCOUNT', 'ZSCORE', 'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYSCORE', 'ZSCAN',
  'XLEN', 'XRANGE', 'XREVRANGE',
  'SCAN', 'CLIENT',
  // Redis 7's read-only SORT: with BY nosort, LIMIT and GET it reads a list's head element and a
  // field of the hash it names in one command (the oldest job's enqueue time, in the same batch).
  'SORT_RO',
]);

/** Sub-commands of CLIENT that only read. */
export const readOnlyClientSubcommands: ReadonlySet<string> = new Set(['LIST', 'INFO', 'GETNAME', 'ID']);

/** A persistent connection to one Redis server, as the monitor sees it (IoRedisPool implements it). */
export interface RedisServerConnection {
  /** A read-only reader bound to one database. */
  reader(db: number): RedisReader;
  /** The INFO text of the server, or one section of it. */
  info(section?: string): Promise<string>;
  /** PSUBSCRIBE on the server-wide subscriber connection; messages of these patterns go to `onMessage`. */
  subscribe(patterns: string[], onMessage: (channel: string, message: Buffer) => void): Promise<void>;
  /** Commands and round trips sent so far. */
  readonly traffic: { commands: number; roundTrips: number };
  close(): Promise<void>;
}
