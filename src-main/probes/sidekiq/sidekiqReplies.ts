import type { ApiError } from '../../contract/errors.js';
import type { RedisCommand, RedisReply } from '../../io/redis/redisReader.js';

/** Readers for single replies of a batch: each gives `null` for an error slot or a wrong shape. */
export type Slot = RedisReply | Error | undefined;

export function asInt(reply: Slot): number | null {
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'string' && /^-?\d+$/.test(reply)) return Number(reply);
  return null;
}

export function asText(reply: Slot): string | null {
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return null;
}

/** A list reply as texts (`null` items stay `null`); `null` for anything else. */
export function asTexts(reply: Slot): (string | null)[] | null {
  return Array.isArray(reply) ? reply.map((r) => asText(r)) : null;
}

/** HGETALL as field → value. */
export function asPairs(reply: Slot): [string, string][] | null {
  const flat = asTexts(reply);
  if (!flat) return null;
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] ?? '', flat[i + 1] ?? '']);
  return out;
}

export function isNoPerm(reply: Slot): boolean {
  return reply instanceof Error && /NOPERM/i.test(reply.message);
}

/** An error slot that fails a whole call, as the coded error the monitor expects. */
export function failureOf(reply: Error, what: string): ApiError {
  return isNoPerm(reply)
    ? { code: 'PERMISSION_DENIED', detail: `${what}: ${reply.message}` }
    : { code: 'INTERNAL', detail: `${what}: ${reply.message}` };
}

/** Builds one batch and hands back each command's slot index, so readers need no offset arithmetic. */
export class BatchPlan {
  readonly commands: RedisCommand[] = [];
  add(cmd: string, ...args: (string | number)[]): number {
    this.commands.push({ cmd, args });
    return this.commands.length - 1;
  }
}
