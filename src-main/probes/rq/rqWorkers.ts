import type { WorkerCounts, WorkerInfo } from '../../contract/figures.js';
import type { ItemError } from '../../contract/snapshot.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import { parseIsoTime } from '../shared/time.js';
import { rqKeys, workerNameOf } from './rqKeys.js';
import { asText, asTexts, isNoPerm, type Slot } from './rqReplies.js';

/** Fields of `rq:worker:<name>` a poll reads (HMGET keeps it O(workers), not O(fields)). */
export const workerFields = ['birth', 'state', 'queues', 'current_job', 'last_heartbeat', 'death', 'pid', 'hostname'] as const;

/** The poll's worker commands: the registry set, each discovered hash, and the server's clients. */
export function workerCommands(names: readonly string[]): RedisCommand[] {
  return [
    { cmd: 'SMEMBERS', args: [rqKeys.workers] },
    ...names.map((n) => ({ cmd: 'HMGET', args: [rqKeys.worker(n), ...workerFields] })),
    // Not TYPE normal: the connection RQ names is the one its pub/sub thread then subscribes on.
    { cmd: 'CLIENT', args: ['LIST'] },
  ];
}

/** What the previous poll remembered, so a worker that vanishes keeps its last-seen time and queues. */
export interface WorkerMemo {
  seenAt: Record<string, number>;
  queuesOf: Record<string, string[]>;
}

export interface WorkerReading {
  workers: WorkerInfo[] | null;
  /** Names in `rq:workers` that discovery did not know. */
  unknownNames: string[];
  /** Worker hashes that could not be read (a key of the wrong type). */
  errors: ItemError[];
  /** Set when CLIENT LIST was refused: liveness then rests on RQ's key TTLs alone. */
  degraded?: string;
  memo: WorkerMemo;
}

/**
 * Liveness (README.md "Workers"): RQ workers CLIENT SETNAME their name, and a killed worker's
 * connection disappears at once while its hash lingers up to 480 s. So a worker is online when
 * its hash exists without `death` and (CLIENT LIST permitted) a client of that name is connected
 * to this database; offline when it is still in `rq:workers` but its hash or connection is gone.
 * A worker that stopped cleanly left `rq:workers` and is not listed at all.
 */
export function readWorkers(
  replies: Slot[], names: readonly string[], discoveredQueues: Record<string, string[]>,
  db: number, connectionId: string, now: number, previous: WorkerMemo | null,
): WorkerReading {
  const members = asTexts(replies[0]);
  const memo: WorkerMemo = { seenAt: { ...previous?.seenAt }, queuesOf: { ...previous?.queuesOf } };
  const errors: ItemError[] = [];
  if (!members) return { workers: null, unknownNames: [], errors, memo, degraded: isNoPerm(replies[0]) ? 'RQ workers: SMEMBERS rq:workers refused (NOPERM)' : undefined };
  const registered = new Set(members.flatMap((m) => workerNameOf(m) ?? []));
  const clientReply = replies[names.length + 1];
  const connected = connectedNames(asText(clientReply), db);
  const workers: WorkerInfo[] = [];
  names.forEach((name, i) => {
    if (!registered.has(name)) return;
    const fields = asTexts(replies[i + 1]);
    const failure = replies[i + 1];
    if (failure instanceof Error) errors.push({ item: rqKeys.worker(name), message: failure.message });
    const value = (f: (typeof workerFields)[number]) => fields?.[workerFields.indexOf(f)] || null;
    const hashExists = value('birth') !== null || value('queues') !== null;
    if (value('death') !== null) return;
    const queues = value('queues')?.split(',').filter(Boolean) ?? discoveredQueues[name] ?? memo.queuesOf[name] ?? null;
    if (queues) memo.queuesOf[name] = queues;
    const online = hashExists && (connected ? connected.has(name) : true);
    const heartbeatAt = parseIsoTime(value('last_heartbeat'));
    if (online && connected) memo.seenAt[name] = now;
    const seen = Math.max(memo.seenAt[name] ?? -Infinity, heartbeatAt ?? -Infinity);
    workers.push({
      name, framework: 'rq', connection: connectionId,
      state: online ? 'online' : 'offline',
      busy: online ? value('state') === 'busy' : null,
      lastSeenAt: Number.isFinite(seen) ? seen : null,
      currentTask: value('current_job'),
      queues, hostname: value('hostname'),
      pid: value('pid') !== null && /^\d+$/.test(value('pid')!) ? Number(value('pid')) : null,
    });
  });
  for (const name of Object.keys(memo.seenAt)) if (!registered.has(name)) delete memo.seenAt[name];
  for (const name of Object.keys(memo.queuesOf)) if (!registered.has(name)) delete memo.queuesOf[name];
  const reading: WorkerReading = { workers, unknownNames: [...registered].filter((n) => !names.includes(n)).sort(), errors, memo };
  if (!connected) {
    reading.degraded = `RQ workers: CLIENT LIST ${isNoPerm(clientReply) ? 'refused (NOPERM)' : 'unreadable'}; liveness from RQ's key TTLs only, so a killed worker counts as online until its key expires (up to 480 s)`;
  }
  return reading;
}

/** Names of the clients connected to this database, from CLIENT LIST; `null` when not readable. */
function connectedNames(list: string | null, db: number): Set<string> | null {
  if (list === null) return null;
  const names = new Set<string>();
  for (const line of list.split('\n')) {
    const name = /(?:^| )name=(\S*)/.exec(line)?.[1];
    const clientDb = /(?:^| )db=(\d+)/.exec(line)?.[1];
    if (name && Number(clientDb) === db) names.add(name);
  }
  return names;
}

/** Per-queue counts from the worker list; all `null` when workers cannot be seen. */
export function countWorkers(workers: WorkerInfo[] | null, queue: string): WorkerCounts {
  if (!workers) return { online: null, busy: null, offline: null };
  const mine = workers.filter((w) => w.queues?.includes(queue));
  return {
    online: mine.filter((w) => w.state === 'online').length,
    busy: mine.filter((w) => w.state === 'online' && w.busy === true).length,
    offline: mine.filter((w) => w.state === 'offline').length,
  };
}
