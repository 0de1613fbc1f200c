import type { Undecodable } from '../../contract/task.js';

/** A JSON-safe value, as decoded pickles are handed to every face. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What an object that needs a class unpickles to: inert, only its class name is kept. */
export class Opaque {
  constructor(readonly className: string) {}
  /** BUILD calls this with the object's state; the state is dropped, never interpreted. */
  __setstate__(): void {}
}

/** Beyond these, a value is shown as undecodable rather than walked (nested memo references can explode). */
const maxNodes = 100_000;
const maxDepth = 200;

class NotPlain extends Error {}

/**
 * A parsed pickle tree as JSON-safe data:
 * - int → number (a decimal string beyond 2**53), float → number (`"NaN"`, `"Infinity"`, `"-Infinity"`),
 * - str → string, bytes/bytearray → `{ "$bytes": "<base64>" }`,
 * - list, tuple, set, frozenset → array, dict → object (keys as Python's json.dumps writes them),
 * - None → null, bool → boolean.
 * Anything holding a class instance, a class or a function gives an {@link Undecodable}.
 */
export function toPlain(value: unknown, encoding: string, size: number): JsonValue | Undecodable {
  let nodes = 0;
  const path = new Set<unknown>();
  const walk = (v: unknown, depth: number): JsonValue => {
    nodes += 1;
    if (nodes > maxNodes || depth > maxDepth) throw new NotPlain('the value is too large or too deeply nested to show');
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    if (v instanceof Opaque) throw new NotPlain(`it needs the Python class ${v.className}`);
    if (typeof v === 'function') {
      const name = (v as { opaqueName?: string }).opaqueName;
      throw new NotPlain(name ? `it holds the Python class or function ${name}` : 'it holds a callable');
    }
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (path.has(v)) throw new NotPlain('it refers to itself');
    path.add(v);
    try {
      if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
      if (v instanceof Map) {
        const out: { [key: string]: JsonValue } = {};
        for (const [k, item] of v) {
          // defineProperty: a key named "__proto__" stays an ordinary own key.
          Object.defineProperty(out, keyOf(walk(k, depth + 1)), { value: walk(item, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
    } finally {
      path.delete(v);
    }
    throw new NotPlain(`it holds an unexpected ${typeof v}`);
  };
  try {
    return walk(value, 0);
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
    return { undecodable: true, encoding, bytes: size, reason: `not shown without executing it: ${error.message}` };
  }
}

/** A dict key the way Python's json.dumps writes it (True → "true", None → "null", 1 → "1"). */
function keyOf(key: JsonValue): string {
  if (typeof key === 'string') return key;
  if (key === null || typeof key === 'boolean' || typeof key === 'number') return String(key);
  return JSON.stringify(key);
}
