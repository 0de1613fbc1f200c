import { inflateSync } from 'node:zlib';
import { epochToMs } from '../shared/time.js';

/**
 * A Sidekiq job as its JSON says, with every field checked (broker data is untrusted). Times
 * are epoch float seconds up to 7.x and integer milliseconds from 8.0 (`created_at`,
 * `enqueued_at`, `failed_at`, `retried_at`): the unit is told by magnitude, never assumed.
 */
export interface SidekiqJob {
  jid: string | null;
  queue: string | null;
  /** `wrapped` (the ActiveJob class) when present, else `class`. */
  name: string | null;
  args: unknown[] | null;
  createdAt: number | null;
  enqueuedAt: number | null;
  failedAt: number | null;
  retriedAt: number | null;
  /** 0 on the first failure; absent before any. */
  retryCount: number | null;
  errorClass: string | null;
  errorMessage: string | null;
  /** `error_backtrace`: base64 of zlib of a JSON array (only with `backtrace: true|N`). */
  errorBacktrace: string | null;
}

/** `null` when the text is not a JSON object (an item-level error for the caller). */
export function parseJob(text: string | null | undefined): SidekiqJob | null {
  if (!text) return null;
  let value: unknown;
  try { value = JSON.parse(text); } catch { return null; }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const job = value as Record<string, unknown>;
  const str = (k: string) => (typeof job[k] === 'string' && job[k] !== '' ? (job[k] as string) : null);
  const time = (k: string) => (typeof job[k] === 'number' || typeof job[k] === 'string' ? epochToMs(job[k] as number | string) : null);
  return {
    jid: str('jid'),
    queue: str('queue'),
    name: str('wrapped') ?? str('class'),
    args: Array.isArray(job.args) ? job.args : null,
    createdAt: time('created_at'),
    enqueuedAt: time('enqueued_at'),
    failedAt: time('failed_at'),
    retriedAt: time('retried_at'),
    retryCount: typeof job.retry_count === 'number' && Number.isInteger(job.retry_count) ? job.retry_count : null,
    errorClass: str('error_class'),
    errorMessage: str('error_message'),
    errorBacktrace: str('error_backtrace'),
  };
}

/** Output past this size is refused: a zlib bomb must not take the monitor's memory. */
const maxInflatedBytes = 4 * 1024 * 1024;

/** The backtrace lines, or `null` when the field does not decode (6.x wraps its base64 in lines). */
export function decodeBacktrace(field: string | null): string[] | null {
  if (!field) return null;
  try {
    const bytes = inflateSync(Buffer.from(field.replace(/\s+/g, ''), 'base64'), { maxOutputLength: maxInflatedBytes });
    const lines: unknown = JSON.parse(bytes.toString('utf8'));
    return Array.isArray(lines) ? lines.map(String) : null;
  } catch {
    return null;
  }
}
