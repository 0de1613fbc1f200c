import { Parser } from 'pickleparser';
import type { Undecodable } from '../../contract/task.js';
import { longModule, rewriteLongs } from './pickleOps.js';
import { toPlain, Opaque, type JsonValue } from './pickleValues.js';

/**
 * Safe reading of Python pickles (RQ job data and results, Celery pickle bodies). Nothing is
 * executed: pickleparser walks the opcodes in JavaScript, and every GLOBAL it meets resolves to
 * either a trivial builtin re-implemented here (set, frozenset, bytearray, bytes, and
 * `_codecs.encode` that protocol 2 uses for bytes) or to an inert {@link Opaque} placeholder.
 * A value that contains a placeholder (it needs a class: datetime, Decimal, a user object) is
 * not shown: it becomes an {@link Undecodable} naming the class.
 */

export type { JsonValue } from './pickleValues.js';

type Callable = (...args: unknown[]) => unknown;

const asBytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(0));
const builtins: Record<string, Callable> = {
  set: (items = []) => [...(items as Iterable<unknown>)],
  frozenset: (items = []) => [...(items as Iterable<unknown>)],
  bytes: (v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : asBytes(v)),
  bytearray: (v, encoding) => (typeof v === 'string' ? Buffer.from(v, encoding === 'latin-1' || encoding === 'latin1' ? 'latin1' : 'utf8') : asBytes(v)),
};

function resolve(module: string, name: string): unknown {
  if (module === longModule) {
    const n = BigInt(name);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  if ((module === 'builtins' || module === '__builtin__') && Object.hasOwn(builtins, name)) return builtins[name];
  if (module === '_codecs' && name === 'encode') return (text: unknown) => Buffer.from(String(text), 'latin1');
  const qualified = `${module}.${name}`;
  // Constructible and callable: REDUCE, NEWOBJ and OBJ all end with an inert placeholder.
  const placeholder = function () { return new Opaque(qualified); };
  Object.defineProperty(placeholder, 'opaqueName', { value: qualified });
  return placeholder;
}

/** A pickle read into a tree of plain values and {@link Opaque} placeholders; never throws. */
export function parsePickle(data: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: string } {
  const rewritten = rewriteLongs(data);
  if (!rewritten.ok) return rewritten;
  try {
    const parser = new Parser({
      nameResolver: { resolve: resolve as never },
      unpicklingTypeOfDictionary: 'Map',
      unpicklingTypeOfSet: 'array',
    });
    return { ok: true, value: parser.parse(rewritten.bytes) };
  } catch (error) {
    return { ok: false, reason: `not a readable pickle: ${(error as Error).message}` };
  }
}

/**
 * A pickle as JSON-safe plain data, or an {@link Undecodable} when it is not plain data.
 * `encoding` and `size` describe the raw value as stored (e.g. `zlib+pickle` and its byte count).
 */
export function decodePickle(data: Uint8Array, encoding = 'pickle', size = data.length): JsonValue | Undecodable {
  const parsed = parsePickle(data);
  if (!parsed.ok) return { undecodable: true, encoding, bytes: size, reason: parsed.reason };
  return toPlain(parsed.value, encoding, size);
}

export function isUndecodable(value: unknown): value is Undecodable {
  return typeof value === 'object' && value !== null && (value as { undecodable?: unknown }).undecodable === true
    && typeof (value as { reason?: unknown }).reason === 'string' && typeof (value as { bytes?: unknown }).bytes === 'number';
}

export { toPlain, Opaque };
