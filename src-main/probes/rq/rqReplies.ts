import type { ApiError } from '../../contract/errors.js';
import type { RedisReply } from '../../io/redis/redisReader.js';

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

export function asList(reply: Slot): RedisReply[] | null {
  return Array.isArray(reply) ? reply : null;
}

export function asTexts(reply: Slot): string[] | null {
  const list = asList(reply);
  return list ? list.map((r) => asText(r) ?? '') : null;
}

/** HGETALL (or a flat field/value list) as a map of Buffers, binary-safe. */
export function asHash(reply: Slot): Map<string, Buffer> | null {
  const list = asList(reply);
  if (!list) return null;
  const out = new Map<string, Buffer>();
  for (let i = 0; i + 1 < list.length; i += 2) {
    const value = list[i + 1];
    out.set(asText(list[i]) ?? '', Buffer.isBuffer(value) ? value : Buffer.from(String(value ?? ''), 'utf8'));
  }
  return out;
}

/** Whether a slot is an ACL refusal (NOPERM): the figure is unreadable, not an item error. */
export function isNoPerm(reply: Slot): boolean {
  return reply instanceof Error && /NOPERM/i.test(reply.message);
}

export function errorOf(reply: Slot): Error | null {
  return reply instanceof Error ? reply : null;
}

/** An error slot that fails a whole call, as the coded error the monitor expects. */
export function failureOf(reply: Error, what: string): ApiError {
  return isNoPerm(reply)
    ? { code: 'PERMISSION_DENIED', detail: `${what}: ${reply.message}` }
    : { code: 'INTERNAL', detail: `${what}: ${reply.message}` };
}
