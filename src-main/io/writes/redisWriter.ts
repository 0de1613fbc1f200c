import type { RedisArg, RedisCommand, RedisReply } from '../redis/redisReader.js';

/**
 * The one door through which task-status writes to a monitored Redis: the explicit actions of
 * a person (retry, delete, purge) and, later, the opt-in automatic retry. Polls never get it;
 * they read through RedisReader's allowlist. A writer is opened for one action and closed.
 */
export interface RedisWriter {
  readonly db: number;
  /** Reads before a write (one pipelined round trip, no MULTI). */
  read(commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]>;
  /** MULTI … EXEC: every command or none, as RQ's own pipelines write. */
  transaction(commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]>;
  /** A Lua script run atomically by the server (RQ's `Queue.empty` is one). */
  script(lua: string, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply>;
  close(): Promise<void>;
}

/** Opens a writer on one database of a connection. */
export type RedisWriterFactory = (db: number) => RedisWriter;

/**
 * Commands an action may send. Anything else (FLUSHDB, CONFIG, KEYS…) is refused before it
 * leaves the process, so a bug in an action cannot do more than an action is meant to.
 */
export const actionCommands: ReadonlySet<string> = new Set([
  'HGET', 'HMGET', 'HGETALL', 'EXISTS', 'LLEN', 'LRANGE', 'LPOS', 'ZSCORE', 'ZCARD', 'ZSCAN', 'TYPE',
  'ZREM', 'HSET', 'SADD', 'SREM', 'RPUSH', 'LPUSH', 'LREM', 'DEL', 'ZADD',
]);

export function assertActionCommand(command: RedisCommand): void {
  const name = command.cmd.toUpperCase();
  if (!actionCommands.has(name)) throw new Error(`refused to send ${name}: not a command task-status actions use`);
}
