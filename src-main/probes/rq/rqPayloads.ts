import { inflateSync } from 'node:zlib';
import type { TaskError, Undecodable } from '../../contract/task.js';
import { decodePickle, parsePickle, toPlain, Opaque, type JsonValue } from '../shared/pickle.js';

/**
 * RQ's binary fields, decoded without executing anything (README.md "Job data"):
 * - `data`: zlib of the serializer's bytes (pickle by default, JSON with JSONSerializer) of
 *   `(func_name, instance, args, kwargs)`;
 * - results `return_value`: base64 of the serializer's bytes; legacy hash `result`: the bytes;
 * - results `exc_string`: base64 of zlib of the traceback text; legacy hash `exc_info`: zlib of it.
 */

/** Output past this size is refused: a zlib bomb must not take the monitor's memory. */
const maxInflatedBytes = 16 * 1024 * 1024;

function inflate(raw: Buffer): Buffer | null {
  try {
    return inflateSync(raw, { maxOutputLength: maxInflatedBytes });
  } catch {
    return null;
  }
}

export interface JobCall {
  name: string | null;
  args: unknown[] | Undecodable | null;
  kwargs: Record<string, unknown> | Undecodable | null;
}

/** The call a job's `data` describes; parts that need a class come out as Undecodable. */
export function decodeJobData(raw: Buffer | undefined): JobCall {
  if (!raw || raw.length === 0) return { name: null, args: null, kwargs: null };
  const undecodable = (encoding: string, reason: string): Undecodable => ({ undecodable: true, encoding, bytes: raw.length, reason });
  const bytes = inflate(raw);
  if (!bytes) {
    const u = undecodable('unknown', 'the job data is not zlib-compressed');
    return { name: null, args: u, kwargs: u };
  }
  let parts: unknown[] | null = null;
  let encoding = 'zlib+pickle';
  if (bytes[0] === 0x80) {
    const parsed = parsePickle(bytes);
    if (!parsed.ok) { const u = undecodable(encoding, parsed.reason); return { name: null, args: u, kwargs: u }; }
    parts = Array.isArray(parsed.value) ? parsed.value : null;
  } else {
    encoding = 'zlib+json';
    try { const value: unknown = JSON.parse(bytes.toString('utf8')); parts = Array.isArray(value) ? value : null; } catch { parts = null; }
  }
  if (!parts || parts.length !== 4) {
    const u = undecodable(encoding, 'the job data is not the (function, instance, args, kwargs) RQ writes');
    return { name: null, args: u, kwargs: u };
  }
  const [func, instance, args, kwargs] = parts;
  const owner = instance instanceof Opaque ? `${instance.className}.` : '';
  const plainArgs = toPlain(args, encoding, raw.length);
  const plainKwargs = toPlain(kwargs, encoding, raw.length);
  return {
    name: typeof func === 'string' ? owner + func : null,
    args: Array.isArray(plainArgs) || isUndecodableValue(plainArgs) ? (plainArgs as unknown[] | Undecodable) : null,
    kwargs: isObject(plainKwargs) ? (plainKwargs as Record<string, unknown> | Undecodable) : null,
  };
}

/** A return value: base64 text from the results stream, or raw bytes from a legacy `result` field. */
export function decodeReturnValue(value: Buffer, isBase64: boolean): JsonValue | Undecodable {
  const bytes = isBase64 ? Buffer.from(value.toString('latin1'), 'base64') : value;
  if (bytes[0] === 0x80) return decodePickle(bytes, isBase64 ? 'base64+pickle' : 'pickle', value.length);
  try {
    return JSON.parse(bytes.toString('utf8')) as JsonValue;
  } catch {
    return { undecodable: true, encoding: 'unknown', bytes: value.length, reason: 'neither a pickle nor JSON' };
  }
}

/** A traceback: base64 → zlib → text (`exc_string`), or zlib → text (legacy `exc_info`). */
export function decodeTraceback(value: Buffer, isBase64: boolean): string | null {
  const compressed = isBase64 ? Buffer.from(value.toString('latin1'), 'base64') : value;
  return inflate(compressed)?.toString('utf8') ?? (isBase64 ? null : value.toString('utf8'));
}

/**
 * Type and message from a Python traceback: the exception text follows the last indented
 * (frame or source) line, e.g. `ValueError: boom`, and may run over several lines. A text that
 * is not a traceback (`Moved to FailedJobRegistry at …`) is a message without a type.
 */
export function errorFromTraceback(traceback: string): TaskError {
  const lines = traceback.trimEnd().split('\n');
  let lastFrame = -1;
  lines.forEach((line, i) => { if (/^\s/.test(line)) lastFrame = i; });
  const text = lines.slice(lastFrame + 1).join('\n').trim();
  const m = /^([A-Za-z_][\w.]*)(?::\s?([\s\S]*))?$/.exec(text);
  if (m && (lastFrame >= 0 || /(Error|Exception|Exit|Interrupt|Timeout)$/.test(m[1]!))) {
    return { type: m[1]!, message: m[2] || null, traceback };
  }
  return { type: null, message: text || null, traceback };
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isUndecodableValue(v: unknown): boolean {
  return isObject(v) && (v as { undecodable?: unknown }).undecodable === true;
}
