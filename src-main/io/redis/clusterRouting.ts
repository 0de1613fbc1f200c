import type { RedisArg, RedisCommand, RedisReply } from './redisReader.js';

/**
 * How a batch is routed on a Redis Cluster: every command goes to the master owning its key's
 * slot, server-wide commands go to one or every master, and a multi-key command is never sent
 * across slots: EXISTS and MGET are split into one command per key (their replies add up or line
 * up exactly), SORT_RO whose BY/GET patterns name keys of other slots is refused with an
 * item-level error (the figure it served becomes unknown with that note), SCAN goes through
 * scanKeys, which walks every master.
 */
export const clusterSlots = 16384;

const crcTable = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** CRC16-XMODEM, the checksum Redis Cluster hashes keys with. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ crcTable[((crc >> 8) ^ b) & 0xff]!;
  return crc;
}

function bytesOf(key: RedisArg): Buffer {
  return Buffer.isBuffer(key) ? key : Buffer.from(String(key), 'utf8');
}

/** The hash slot of a key: only the `{tag}` is hashed when the key has a non-empty one. */
export function keySlot(key: RedisArg): number {
  let bytes = bytesOf(key);
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  }
  return crc16(bytes) % clusterSlots;
}

/**
 * The slot every key a SORT BY/GET pattern can form hashes to, as Redis 7 decides it: the
 * pattern's `{tag}` when it has one free of glob characters, else `null` (any slot).
 */
export function patternSlot(pattern: RedisArg): number | null {
  const text = bytesOf(pattern).toString('latin1');
  const open = text.indexOf('{');
  const close = open === -1 ? -1 : text.indexOf('}', open + 1);
  if (close <= open + 1) return null;
  const tag = text.slice(open + 1, close);
  if (/[*?[\\]/.test(tag)) return null;
  return crc16(Buffer.from(tag, 'latin1')) % clusterSlots;
}

/** Where one part of a planned command goes. */
export type Destination = { slot: number } | 'any' | 'all';

export interface Part {
  command: RedisCommand;
  to: Destination;
}

/** One command of the batch as it will be sent: parts, and how their replies make its reply. */
export type Planned =
  | { parts: Part[]; merge: (replies: (RedisReply | Error)[], nodes: string[]) => RedisReply | Error }
  | { refused: Error };

/** Commands without keys that read one server: any master answers them. */
const anyNode = new Set(['PING', 'TIME']);

/** The separator `INFO` replies of several masters are joined with (see brokerInfo.ts). */
export const nodeInfoHeader = (node: string): string => `# task-status node ${node}\r\n`;

function first(replies: (RedisReply | Error)[]): RedisReply | Error {
  return replies[0] ?? new Error('no reply');
}

function firstError(replies: (RedisReply | Error)[]): Error | null {
  return replies.find((r): r is Error => r instanceof Error) ?? null;
}

export function planClusterCommand(command: RedisCommand): Planned {
  const name = command.cmd.toUpperCase();
  const args = command.args;
  if (anyNode.has(name)) return { parts: [{ command, to: 'any' }], merge: first };
  if (name === 'CLIENT') {
    const sub = String(args[0] ?? '').toUpperCase();
    // Workers connect to every master: CLIENT LIST is asked of each and the lists joined, as BullMQ's getWorkers does.
    if (sub === 'LIST') {
      return {
        parts: [{ command, to: 'all' }],
        merge: (replies) => firstError(replies) ?? replies.map((r) => (Buffer.isBuffer(r) ? r.toString('utf8') : String(r ?? ''))).join(''),
      };
    }
    return { parts: [{ command, to: 'any' }], merge: first };
  }
  if (name === 'INFO') {
    return {
      parts: [{ command, to: 'all' }],
      merge: (replies, nodes) => firstError(replies) ?? replies.map((r, i) => `${nodeInfoHeader(nodes[i] ?? '?')}${Buffer.isBuffer(r) ? r.toString('utf8') : String(r ?? '')}`).join('\r\n'),
    };
  }
  if (name === 'DBSIZE') {
    return { parts: [{ command, to: 'all' }], merge: (replies) => firstError(replies) ?? replies.reduce<number>((sum, r) => sum + Number(r ?? 0), 0) };
  }
  if (name === 'SCAN') {
    return { refused: new Error('SCAN is per node on a Redis Cluster: task-status walks every master through scanKeys, never in a batch') };
  }
  if (name === 'EXISTS' || name === 'MGET') {
    if (args.length === 0) return { parts: [{ command, to: 'any' }], merge: first };
    const one = name === 'EXISTS' ? 'EXISTS' : 'GET';
    const parts = args.map((key) => ({ command: { ...command, cmd: one, args: [key] }, to: { slot: keySlot(key) } }));
    const merge = name === 'EXISTS'
      ? (replies: (RedisReply | Error)[]) => firstError(replies) ?? replies.reduce<number>((sum, r) => sum + Number(r ?? 0), 0)
      : (replies: (RedisReply | Error)[]) => firstError(replies) ?? (replies as RedisReply[]);
    return { parts, merge };
  }
  if (args.length === 0) return { parts: [{ command, to: 'any' }], merge: first };
  const slot = keySlot(args[0]!);
  if (name === 'SORT_RO' || name === 'SORT') {
    for (let i = 1; i < args.length - 1; i++) {
      const option = String(args[i]).toUpperCase();
      if (option !== 'BY' && option !== 'GET') continue;
      const pattern = args[i + 1]!;
      const text = bytesOf(pattern).toString('latin1');
      const formsKeys = option === 'BY' ? text.includes('*') : text !== '#';
      if (formsKeys && patternSlot(pattern) !== slot) {
        return {
          refused: new Error(`CROSSSLOT not sent: ${name} ${String(args[0])} ${option} ${text} reads keys in other hash slots, `
            + 'which Redis Cluster refuses (the figure it serves is unknown on a cluster)'),
        };
      }
      i++;
    }
  }
  return { parts: [{ command, to: { slot } }], merge: first };
}
