import type { RedisBrokerFigureName, RedisBrokerFigures } from '../../contract/dashboard.js';
import type { RedisCommand, RedisReader, RedisReply } from './redisReader.js';
import { classifyRedisError } from './redisErrors.js';

/**
 * Broker figures from one INFO reply (INFO with no section: server, clients, memory, stats, cpu
 * are the default sections). On a cluster the reply joins every master's INFO under
 * `# task-status node host:port` headers (clusterRouting.ts): figures are summed over them.
 */
export const infoCommand: RedisCommand = { cmd: 'INFO', args: [] };

/** What the next poll needs to turn counters into rates (per node). */
export interface BrokerMemo {
  nodes: Record<string, { runId: string | null; cpuSeconds: number; atUs: number; evictedKeys: number }>;
}

const figureNames: RedisBrokerFigureName[] = [
  'version', 'uptimeSeconds', 'usedMemoryBytes', 'maxMemoryBytes', 'maxMemoryPolicy', 'memFragmentationRatio',
  'cpuPercent', 'connectedClients', 'opsPerSec', 'evictedKeys', 'evictedKeysDelta',
];

/** Splits an INFO reply into one field map per server. */
export function parseInfoNodes(text: string): { node: string; fields: Record<string, string> }[] {
  const nodes: { node: string; fields: Record<string, string> }[] = [];
  let current: { node: string; fields: Record<string, string> } | null = null;
  for (const line of text.split(/\r?\n/)) {
    const header = /^# task-status node (.+)$/.exec(line);
    if (header) {
      current = { node: header[1]!, fields: {} };
      nodes.push(current);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    if (!current) {
      current = { node: 'server', fields: {} };
      nodes.push(current);
    }
    current.fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return nodes;
}

function num(fields: Record<string, string>, name: string): number | null {
  const raw = fields[name];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/**
 * The figures of this poll's INFO reply (or the error that replaced it), with rates from the
 * previous poll's memo. `where` names the connection in a reason.
 */
export function redisBrokerFigures(
  reply: RedisReply | Error | undefined, takenAt: number, previous: BrokerMemo | null, where: string,
): { figures: RedisBrokerFigures; memo: BrokerMemo | null } {
  const empty = (reason: string): RedisBrokerFigures => ({
    kind: 'redis', takenAt, nodes: 0, version: null, uptimeSeconds: null, usedMemoryBytes: null, maxMemoryBytes: null,
    maxMemoryPolicy: null, memFragmentationRatio: null, cpuPercent: null, connectedClients: null, opsPerSec: null,
    evictedKeys: null, evictedKeysDelta: null, notes: Object.fromEntries(figureNames.map((n) => [n, reason])),
  });
  if (reply instanceof Error || reply === undefined) {
    const reason = reply === undefined ? 'INFO was not read' : `INFO could not be read: ${classifyRedisError(reply, where).detail}`;
    return { figures: empty(reason), memo: null };
  }
  const text = Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply ?? '');
  const nodes = parseInfoNodes(text);
  if (nodes.length === 0) return { figures: empty('INFO returned nothing'), memo: null };
  const notes: Partial<Record<RedisBrokerFigureName, string>> = {};
  const sum = (name: string, figure: RedisBrokerFigureName): number | null => {
    let total = 0;
    for (const n of nodes) {
      const v = num(n.fields, name);
      if (v === null) {
        notes[figure] = `INFO has no ${name}${nodes.length > 1 ? ` on ${n.node}` : ''}`;
        return null;
      }
      total += v;
    }
    return total;
  };
  const lowest = (name: string, figure: RedisBrokerFigureName): number | null => {
    const values = nodes.map((n) => num(n.fields, name));
    if (values.some((v) => v === null)) {
      notes[figure] = `INFO has no ${name}`;
      return null;
    }
    return Math.min(...(values as number[]));
  };
  const versions = [...new Set(nodes.map((n) => n.fields.redis_version).filter((v): v is string => !!v))].sort();
  if (versions.length === 0) notes.version = 'INFO has no redis_version';
  const policies = [...new Set(nodes.map((n) => n.fields.maxmemory_policy).filter((v): v is string => !!v))];
  if (policies.length === 0) notes.maxMemoryPolicy = 'INFO has no maxmemory_policy';
  if (policies.length > 1) notes.maxMemoryPolicy = `the masters differ: ${policies.join(', ')}`;
  const fragmentation = (() => {
    // Summed memory over summed RSS would hide one bad node: the worst node's ratio is shown.
    const ratios = nodes.map((n) => num(n.fields, 'mem_fragmentation_ratio'));
    if (ratios.some((r) => r === null)) {
      notes.memFragmentationRatio = 'INFO has no mem_fragmentation_ratio';
      return null;
    }
    if (nodes.length > 1) notes.memFragmentationRatio = 'the highest over the masters';
    return Math.max(...(ratios as number[]));
  })();

  const memo: BrokerMemo = { nodes: {} };
  let cpuPercent: number | null = 0;
  let evictedDelta: number | null = 0;
  for (const n of nodes) {
    const sys = num(n.fields, 'used_cpu_sys');
    const user = num(n.fields, 'used_cpu_user');
    const evicted = num(n.fields, 'evicted_keys');
    const serverUs = num(n.fields, 'server_time_usec');
    const atUs = serverUs ?? takenAt * 1000;
    const runId = n.fields.run_id ?? null;
    const cpuSeconds = sys !== null && user !== null ? sys + user : null;
    const before = previous?.nodes[n.node];
    if (cpuSeconds !== null && evicted !== null) memo.nodes[n.node] = { runId, cpuSeconds, atUs, evictedKeys: evicted };
    if (!before) {
      cpuPercent = null;
      evictedDelta = null;
      notes.cpuPercent = notes.evictedKeysDelta = previous ? `${n.node} was not read by the previous poll` : 'a rate needs two polls: this is the first';
      continue;
    }
    if (runId !== before.runId || (cpuSeconds !== null && cpuSeconds < before.cpuSeconds)) {
      cpuPercent = null;
      evictedDelta = null;
      notes.cpuPercent = notes.evictedKeysDelta = `${nodes.length > 1 ? n.node : 'the server'} restarted since the previous poll`;
      continue;
    }
    if (cpuPercent !== null) {
      if (cpuSeconds === null) {
        cpuPercent = null;
        notes.cpuPercent = 'INFO has no used_cpu_sys / used_cpu_user';
      } else if (atUs <= before.atUs) {
        cpuPercent = null;
        notes.cpuPercent = 'no time passed between the two INFO replies';
      } else cpuPercent += ((cpuSeconds - before.cpuSeconds) / ((atUs - before.atUs) / 1e6)) * 100;
    }
    if (evictedDelta !== null) {
      if (evicted === null) {
        evictedDelta = null;
        notes.evictedKeysDelta = 'INFO has no evicted_keys';
      } else evictedDelta += evicted - before.evictedKeys;
    }
  }
  const figures: RedisBrokerFigures = {
    kind: 'redis',
    takenAt,
    nodes: nodes.length,
    version: versions.length ? versions.join(', ') : null,
    uptimeSeconds: lowest('uptime_in_seconds', 'uptimeSeconds'),
    usedMemoryBytes: sum('used_memory', 'usedMemoryBytes'),
    maxMemoryBytes: sum('maxmemory', 'maxMemoryBytes'),
    maxMemoryPolicy: policies.length === 1 ? policies[0]! : null,
    memFragmentationRatio: fragmentation,
    cpuPercent: cpuPercent === null ? null : Math.round(cpuPercent * 100) / 100,
    connectedClients: sum('connected_clients', 'connectedClients'),
    opsPerSec: sum('instantaneous_ops_per_sec', 'opsPerSec'),
    evictedKeys: sum('evicted_keys', 'evictedKeys'),
    evictedKeysDelta: evictedDelta,
    notes,
  };
  if (figures.maxMemoryBytes !== null && nodes.some((n) => num(n.fields, 'maxmemory') === 0) && nodes.length > 1) {
    notes.maxMemoryBytes = 'some masters set no limit (0): the sum counts only the others';
  }
  return { figures, memo };
}

/**
 * Sends INFO in the poll's first batch instead of a round trip of its own: `wrap` gives a reader
 * whose first `batch` (across every reader it wrapped) carries INFO at its end and hands the rest
 * of the replies back untouched. `reply()` then gives INFO's reply, sending it alone through
 * `fallback` when no batch carried it (nothing to probe, or every probe failed before reading).
 */
export class InfoRider {
  #sent = false;
  #reply: Promise<RedisReply | Error | undefined> | null = null;

  wrap(reader: RedisReader): RedisReader {
    return {
      db: reader.db,
      batch: async (commands) => {
        if (this.#sent || commands.length === 0) return reader.batch(commands);
        this.#sent = true;
        const sending = reader.batch([...commands, infoCommand]);
        this.#reply = sending.then((replies) => replies[replies.length - 1], (error: unknown) => (error instanceof Error ? error : new Error(String((error as { detail?: string })?.detail ?? error))));
        const replies = await sending;
        return replies.slice(0, -1);
      },
      scanKeys: (pattern, options) => reader.scanKeys(pattern, options),
      scanKeysBuffer: (pattern, options) => reader.scanKeysBuffer(pattern, options),
    };
  }

  async reply(fallback: RedisReader): Promise<RedisReply | Error | undefined> {
    if (this.#reply) return this.#reply;
    this.#sent = true;
    const [reply] = await fallback.batch([infoCommand]);
    return reply;
  }
}
