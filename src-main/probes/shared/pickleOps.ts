/**
 * Walks a pickle's opcodes without running any of them, and rewrites the ones pickleparser
 * reads wrongly:
 * - LONG1/LONG4 are little-endian two's complement (pickleparser reads them unsigned, so -2**40
 *   comes out as a large positive number) and LONG's decimal text loses precision past 2**53:
 *   each becomes a GLOBAL naming {@link longModule} with the exact decimal, which the name
 *   resolver in pickle.ts turns back into the right value;
 * - protocol 0's FLOAT text (`inf`, `nan`) and UNICODE text (raw-unicode-escape, `\u0000`) are
 *   re-encoded as their binary forms BINFLOAT and BINUNICODE.
 */

/** The module name of the GLOBALs that carry a rewritten integer. */
export const longModule = '__task_status_long__';

type Arg = 'none' | 1 | 2 | 4 | 8 | 'line' | 'lines2' | 'len1' | 'len4' | 'len8' | 'long1' | 'long4' | 'longText' | 'floatText' | 'unicodeText';

const argOf = new Map<number, Arg>();
const define = (arg: Arg, ops: string) => { for (const c of ops) argOf.set(c.charCodeAt(0), arg); };
define('none', '(.012NRbd}ealo]st)uQ\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98');
define(1, 'Khq\x80\x82');
define(2, 'M\x83');
define(4, 'Jjr\x84');
define(8, 'G\x95');
define('line', 'ISpgP');
define('lines2', 'ci');
define('len1', 'UC\x8c');
define('len4', 'TBX');
define('len8', '\x8d\x8e\x96');
define('long1', '\x8a');
define('long4', '\x8b');
define('longText', 'L');
define('floatText', 'F');
define('unicodeText', 'V');

const STOP = 0x2e;

/** The pickle with its integer opcodes made exact, or a reason why it is not a pickle. */
export function rewriteLongs(data: Uint8Array): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const parts: Uint8Array[] = [];
  let copiedTo = 0;
  let at = 0;
  const need = (n: number) => {
    if (at + n > data.length) throw new Error('the pickle ends early');
  };
  try {
    while (true) {
      need(1);
      const op = data[at]!;
      const arg = argOf.get(op);
      if (arg === undefined) throw new Error(`unknown opcode 0x${op.toString(16)} at ${at}`);
      const start = at;
      at += 1;
      if (op === STOP) break;
      let replacement: Uint8Array | null = null;
      if (typeof arg === 'number') { need(arg); at += arg; }
      else if (arg === 'line' || arg === 'lines2' || arg === 'longText' || arg === 'floatText' || arg === 'unicodeText') {
        for (let lines = arg === 'lines2' ? 2 : 1; lines > 0; lines -= 1) {
          const end = data.indexOf(0x0a, at);
          if (end < 0) throw new Error('a text argument has no end of line');
          const text = Buffer.from(data.buffer, data.byteOffset + at, end - at).toString('latin1');
          if (arg === 'longText') replacement = longGlobal(BigInt(text.replace(/L$/, '')));
          if (arg === 'floatText') replacement = binFloat(Number(text.replace(/^(-?)inf$/, '$1Infinity').replace(/^nan$/, 'NaN')));
          if (arg === 'unicodeText') replacement = binUnicode(unescapeRawUnicode(text));
          at = end + 1;
        }
      } else if (arg === 'len1') { need(1); const n = data[at]!; at += 1; need(n); at += n; }
      else if (arg === 'len4') { need(4); const n = view.getUint32(at, true); at += 4; need(n); at += n; }
      else if (arg === 'len8') { need(8); const n = Number(view.getBigUint64(at, true)); at += 8; need(n); at += n; }
      else if (arg === 'long1' || arg === 'long4') {
        const size = arg === 'long1' ? 1 : 4;
        need(size);
        const n = size === 1 ? data[at]! : view.getInt32(at, true);
        at += size;
        if (n < 0) throw new Error('negative integer size');
        need(n);
        replacement = longGlobal(signedLittleEndian(data.subarray(at, at + n)));
        at += n;
      }
      if (replacement !== null) {
        parts.push(data.subarray(copiedTo, start), replacement);
        copiedTo = at;
      }
    }
  } catch (error) {
    return { ok: false, reason: `not a readable pickle: ${(error as Error).message}` };
  }
  if (parts.length === 0) return { ok: true, bytes: data.subarray(0, at) };
  parts.push(data.subarray(copiedTo, at));
  return { ok: true, bytes: Buffer.concat(parts) };
}

function signedLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes.length > 0 && bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

function longGlobal(value: bigint): Uint8Array {
  return Buffer.from(`c${longModule}\n${value}\n`, 'latin1');
}

function binFloat(value: number): Uint8Array {
  const out = Buffer.alloc(9);
  out[0] = 0x47; // BINFLOAT, big-endian IEEE 754
  out.writeDoubleBE(value, 1);
  return out;
}

function binUnicode(text: string): Uint8Array {
  const utf8 = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 0x58; // BINUNICODE, uint32 length
  head.writeUInt32LE(utf8.length, 1);
  return Buffer.concat([head, utf8]);
}

/** Python's raw-unicode-escape: bytes are latin-1 characters, except \uXXXX and \UXXXXXXXX. */
function unescapeRawUnicode(latin1: string): string {
  return latin1.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_, u: string | undefined, U: string | undefined) => String.fromCodePoint(parseInt(u ?? U!, 16)));
}
