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

/** A list of bulk strings; a nil element becomes `null`. */
export function asTexts(reply: Slot): (string | null)[] | null {
  const list = asList(reply);
  return list ? list.map((r) => asText(r)) : null;
}

/** A decimal or integer number in a text field; `null` when absent or not a number. */
export function numberOf(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Whether a slot is an ACL refusal (NOPERM): the figure is unreadable, not an item error. */
export function isNoPerm(reply: Slot): boolean {
  return reply instanceof Error && /NOPERM/i.test(reply.message);
}

/** An error slot that fails a whole call, as the coded error the monitor expects. */
export function failureOf(reply: Error, what: string): ApiError {
  return isNoPerm(reply)
    ? { code: 'PERMISSION_DENIED', detail: `${what}: ${reply.message}` }
    : { code: 'INTERNAL', detail: `${what}: ${reply.message}` };
}
