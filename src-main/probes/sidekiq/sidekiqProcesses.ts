import type { WorkerCounts, WorkerInfo } from '../../contract/figures.js';
import type { ItemError } from '../../contract/snapshot.js';
import { epochToMs, secondsToMs } from '../shared/time.js';
import type { SidekiqKeys } from './sidekiqKeys.js';
import { BatchPlan, asInt, asPairs, asText, asTexts, type Slot } from './sidekiqReplies.js';

/**
 * A process whose last beat is older than this is offline. Sidekiq beats every 5 s (6.x) or
 * 10 s (7.0+) and gives its hash a 60 s TTL: 30 s is six missed 6.x beats or three 7+ ones, so a
 * process busy enough to beat late is not called offline, and a killed one is within 30 s, long
 * before its hash expires. Existence of the hash is never taken as liveness (a hash can lose its
 * TTL, and a killed process's hash lives on for up to 60 s).
 */
export const staleBeatMs = 30_000;

export interface ProcessInfo {
  hostname: string | null;
  pid: number | null;
  queues: string[];
}

/** The `info` JSON of a process hash; `null` when absent or not JSON. */
export function parseProcessInfo(reply: Slot): ProcessInfo | null {
  const text = asText(reply);
  if (!text) return null;
  let value: unknown;
  try { value = JSON.parse(text); } catch { return null; }
  if (typeof value !== 'object' || value === null) return null;
  const info = value as Record<string, unknown>;
  const queues = Array.isArray(info.queues) ? info.queues.filter((q): q is string => typeof q === 'string') : [];
  return {
    hostname: typeof info.hostname === 'string' ? info.hostname : null,
    pid: typeof info.pid === 'number' && Number.isInteger(info.pid) ? info.pid : null,
    queues: [...new Set(queues)],
  };
}

/** One job a process thread is running, from its work hash. */
export interface RunningJob {
  queue: string | null;
  jid: string | null;
  /** Epoch ms the thread started it (`run_at`, whole seconds). */
  runAt: number | null;
}

/**
 * A work-hash value: `{queue, payload, run_at}` where `payload` is the job as a JSON string
 * inside the JSON (6.x, 7.x) or, defensively, an object. `null` when it does not decode.
 */
export function parseWork(text: string): RunningJob | null {
  let value: unknown;
  try { value = JSON.parse(text); } catch { return null; }
  if (typeof value !== 'object' || value === null) return null;
  const work = value as Record<string, unknown>;
  let payload: unknown = work.payload;
  if (typeof payload === 'string') { try { payload = JSON.parse(payload); } catch { payload = null; } }
  const job = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const queue = typeof work.queue === 'string' ? work.queue : typeof job.queue === 'string' ? job.queue : null;
  return {
    queue,
    jid: typeof job.jid === 'string' ? job.jid : null,
    runAt: typeof work.run_at === 'number' ? epochToMs(work.run_at) : null,
  };
}

/** Commands per process, in this order. */
export const processFields = ['info', 'busy', 'beat', 'quiet'] as const;

export interface ProcessSlots { member: number; hash: number; work7: number; work6: number }

export function planProcess(plan: BatchPlan, keys: SidekiqKeys, identity: string): ProcessSlots {
  return {
    member: plan.add('SISMEMBER', keys.processes, identity),
    hash: plan.add('HMGET', keys.process(identity), ...processFields),
    // 7.0 renamed the work hash; only one of the two exists. Both are bounded by the concurrency.
    work7: plan.add('HGETALL', keys.work7(identity)),
    work6: plan.add('HGETALL', keys.workers6(identity)),
  };
}

export interface ProcessReading {
  workers: WorkerInfo[];
  /** Jobs being run by online processes. */
  running: RunningJob[];
  /** Jobs still listed by processes that are offline (not counted as running). */
  orphaned: number;
  /** Identities discovery knew that left `processes` (stopped cleanly: gone). */
  left: string[];
  /** Online processes that are quiet (TSTP): alive, fetching no new jobs. */
  quiet: string[];
  /** Queues per identity, remembered for when its hash (and `info`) has expired after a crash. */
  queuesOf: Record<string, string[]>;
  errors: ItemError[];
}

/**
 * Liveness from the beat's age at the poll's time: online when `now − beat ≤ staleBeatMs`;
 * offline when the beat is older or the hash is gone while the identity is still in
 * `processes` (killed); gone (not listed) when it left `processes` (a clean stop removes it).
 */
export function readProcesses(
  replies: Slot[], slots: ProcessSlots[], identities: readonly string[], keys: SidekiqKeys, connection: string, now: number,
  knownQueues: Record<string, string[]>,
): ProcessReading {
  const out: ProcessReading = { workers: [], running: [], orphaned: 0, left: [], quiet: [], errors: [], queuesOf: {} };
  identities.forEach((identity, i) => {
    const s = slots[i]!;
    if (asInt(replies[s.member]) === 0) { out.left.push(identity); return; }
    const hashReply = replies[s.hash];
    if (hashReply instanceof Error) out.errors.push({ item: keys.process(identity), message: hashReply.message });
    const [infoText, busyText, beatText, quietText] = asTexts(hashReply) ?? [];
    const info = parseProcessInfo(infoText ?? null);
    if (infoText && !info) out.errors.push({ item: keys.process(identity), message: 'info is not JSON' });
    const beatAt = beatText && Number.isFinite(Number(beatText)) ? secondsToMs(beatText) : null;
    const online = beatAt !== null && now - beatAt <= staleBeatMs;
    const jobs: RunningJob[] = [];
    for (const slot of [s.work7, s.work6]) {
      for (const [thread, value] of asPairs(replies[slot]) ?? []) {
        const job = parseWork(value);
        if (job) jobs.push(job);
        else out.errors.push({ item: `${slot === s.work7 ? keys.work7(identity) : keys.workers6(identity)} ${thread}`, message: 'work entry is not JSON' });
      }
    }
    jobs.sort((a, b) => (a.runAt ?? Infinity) - (b.runAt ?? Infinity));
    if (online && quietText === 'true') out.quiet.push(identity);
    if (online) out.running.push(...jobs);
    else out.orphaned += jobs.length;
    const queues = info?.queues ?? knownQueues[identity] ?? null;
    if (queues) out.queuesOf[identity] = queues;
    const busy = busyText !== null && busyText !== undefined && /^\d+$/.test(busyText) ? Number(busyText) : null;
    out.workers.push({
      name: identity, framework: 'sidekiq', connection,
      state: online ? 'online' : 'offline',
      busy: online ? (busy ?? jobs.length) > 0 : null,
      lastSeenAt: beatAt,
      currentTask: online ? jobs[0]?.jid ?? null : null,
      queues,
      hostname: info?.hostname ?? identity.split(':')[0] ?? null,
      pid: info?.pid ?? null,
    });
  });
  return out;
}

/** Per-queue counts from the process list. */
export function countWorkers(workers: WorkerInfo[], queue: string): WorkerCounts {
  const mine = workers.filter((w) => w.queues?.includes(queue));
  return {
    online: mine.filter((w) => w.state === 'online').length,
    busy: mine.filter((w) => w.state === 'online' && w.busy === true).length,
    offline: mine.filter((w) => w.state === 'offline').length,
  };
}
