import type { TaskDetail, TaskError, TaskState } from '../../contract/task.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { bullmqKeys, delayedRunAt, globEscape } from './bullmqKeys.js';
import { asInt, asList, asText, asTexts, failureOf, numberOf, type Slot } from './bullmqReplies.js';

/** Log lines returned with a task: the latest ones. */
export const logLimit = 200;

/**
 * One job by id. BullMQ ids are unique per queue only, so `<queue>:<id>` names one exactly (neither
 * may contain `:`); a bare id is looked up by SCAN (an on-demand lookup) in every queue of the
 * prefix, and the first queue by name wins, the others named in `sources`.
 */
export async function getBullmqTask(ctx: ProbeContext, ns: ProbeNamespace, id: string): Promise<TaskDetail | null> {
  const sep = id.indexOf(':');
  let queues: string[];
  let jobId = id;
  if (sep > 0) {
    queues = [id.slice(0, sep)];
    jobId = id.slice(sep + 1);
    if (jobId.includes(':')) return null;
  } else {
    const keys = await ctx.redis.scanKeys(`${globEscape(ns.prefix)}:*:${globEscape(id)}`);
    queues = keys.flatMap((k) => {
      const q = k.slice(ns.prefix.length + 1, k.length - id.length - 1);
      return k === bullmqKeys(ns.prefix, q).job(id) && !q.includes(':') ? [q] : [];
    }).sort();
  }
  for (const [i, q] of queues.entries()) {
    const task = await readJob(ctx, ns.prefix, q, jobId);
    if (task) {
      if (queues.length > 1) task.sources.push(`job id ${jobId} also exists in queue${queues.length > 2 ? 's' : ''} ${queues.filter((_, j) => j !== i).join(', ')}: ask for <queue>:${jobId}`);
      return task;
    }
  }
  return null;
}

const states = ['completed', 'failed', 'delayed', 'prioritized', 'waitingChildren', 'active', 'wait', 'paused'] as const;

async function readJob(ctx: ProbeContext, prefix: string, q: string, id: string): Promise<TaskDetail | null> {
  const k = bullmqKeys(prefix, q);
  const commands: RedisCommand[] = [
    { cmd: 'HGETALL', args: [k.job(id)] },
    { cmd: 'LRANGE', args: [k.logs(id), -logLimit, -1] },
    { cmd: 'LLEN', args: [k.logs(id)] },
    ...states.map((s): RedisCommand => (['active', 'wait', 'paused'].includes(s)
      ? { cmd: 'LPOS', args: [k[s], id] }
      : { cmd: 'ZSCORE', args: [k[s], id] })),
  ];
  const [hashReply, logsReply, logCountReply, ...where] = await ctx.redis.batch(commands);
  if (hashReply instanceof Error) {
    if (/WRONGTYPE/.test(hashReply.message)) return null;
    throw failureOf(hashReply, `BullMQ job ${k.job(id)}`);
  }
  const job = hashOf(hashReply);
  if (!job.size || !job.has('timestamp')) return null;
  const text = (f: string) => job.get(f) || null;
  const found = states.find((_, i) => where[i] !== null && where[i] !== undefined && !(where[i] instanceof Error)) ?? null;
  // `atm`/`ats` are written at the first attempt (HINCRBY): a job never tried has neither. Older
  // writers (BullMQ < 2, Bull 3) call it `attemptsMade`.
  const made = asIntOrNull(text('atm')) ?? asIntOrNull(text('attemptsMade')) ?? 0;
  const state = stateOf(found, made);
  const options = objectOf(parseJson(text('opts')));
  const delayScore = found === 'delayed' ? numberOf(asText(where[states.indexOf('delayed')])) : null;
  const created = numberOf(text('timestamp'));
  const stack = parseJson(text('stacktrace'));
  const traces = Array.isArray(stack) ? stack.filter((s): s is string => typeof s === 'string') : [];
  const failedReason = text('failedReason');
  let error: TaskError | null = null;
  if (failedReason !== null || traces.length) {
    const last = traces.at(-1) ?? null;
    error = { type: last ? /^([\w$.]+)(?::|$)/.exec(last)?.[1] ?? null : null, message: failedReason, traceback: last };
  }
  const data = text('data');
  const logs = (asTexts(logsReply) ?? []).map((l) => l ?? '');
  const logCount = asInt(logCountReply as Slot) ?? logs.length;
  const sources = [`job hash ${k.job(id)}`, found ? `state from ${found === 'waitingChildren' ? 'waiting-children' : found}` : 'in no state list or set (removed or orphaned)'];
  if (traces.length > 1) sources.push(`stacktrace holds ${traces.length} failed attempts; the latest is shown`);
  const detail: TaskDetail = {
    id, framework: 'bullmq', connection: ctx.connectionId, queue: q,
    name: text('name'), description: null, state,
    args: data === null ? null : [parseJsonOr(data)], kwargs: null,
    enqueuedAt: created,
    startedAt: numberOf(text('processedOn')),
    finishedAt: state === 'succeeded' || state === 'failed' ? numberOf(text('finishedOn')) : null,
    worker: text('pb'),
    retries: retriesOf(state, made, asIntOrNull(text('ats'))),
    result: state === 'succeeded' && text('returnvalue') !== null ? parseJsonOr(text('returnvalue')!) : null,
    error,
    sources,
    options,
    attempts: { made, started: asIntOrNull(text('ats')) ?? (text('processedOn') === null ? 0 : null), max: maxAttemptsOf(options) },
    scheduledAt: delayScore === null ? null : delayedRunAt(delayScore),
    progress: text('progress') === null ? null : parseJsonOr(text('progress')!),
    logs,
  };
  if (logCount > logs.length) detail.logCount = logCount;
  return detail;
}

/**
 * Where the job is, in the contract's words: completed → succeeded; failed → failed; delayed →
 * scheduled, or retrying when an attempt was already made (a backoff); wait/paused/prioritized →
 * waiting, or retrying after a failed attempt; waiting-children → waiting; active → running.
 */
export function stateOf(found: (typeof states)[number] | null, attemptsMade: number): TaskState {
  switch (found) {
    case 'completed': return 'succeeded';
    case 'failed': return 'failed';
    case 'active': return 'running';
    case 'delayed': return attemptsMade > 0 ? 'retrying' : 'scheduled';
    case 'wait': case 'paused': case 'prioritized': return attemptsMade > 0 ? 'retrying' : 'waiting';
    case 'waitingChildren': return 'waiting';
    default: return 'unknown';
  }
}

/**
 * Retries as Celery and RQ count them (a retry counts once it is scheduled): a job waiting for its
 * next attempt has had `atm` attempts, each but the first a retry, and one more is scheduled; any
 * other job has had `ats` attempts started (`atm` before `ats` existed), all but the first retries.
 */
function retriesOf(state: TaskState, made: number, started: number | null): number {
  if (state === 'retrying') return made;
  return Math.max(0, (started ?? made) - 1);
}

/** BullMQ stores `attempts: 0` (or none) for the default of one attempt. */
function maxAttemptsOf(options: Record<string, unknown> | null): number | null {
  if (!options) return null;
  return typeof options.attempts === 'number' ? Math.max(1, options.attempts) : 1;
}

function hashOf(reply: Slot): Map<string, string> {
  const list = asList(reply) ?? [];
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) out.set(asText(list[i]) ?? '', asText(list[i + 1]) ?? '');
  return out;
}

function asIntOrNull(v: string | null): number | null {
  return v !== null && /^\d+$/.test(v) ? Number(v) : null;
}

function parseJson(v: string | null): unknown {
  if (v === null) return undefined;
  try { return JSON.parse(v); } catch { return undefined; }
}

/** JSON when it parses (BullMQ writes data, returnvalue and progress as JSON), else the text as stored. */
function parseJsonOr(v: string): unknown {
  const parsed = parseJson(v);
  return parsed === undefined ? v : parsed;
}

function objectOf(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
