import type { TaskDetail, TaskState } from '../../contract/task.js';
import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { secondsToMs } from '../shared/time.js';
import { decodeBacktrace, parseJob, type SidekiqJob } from './sidekiqJob.js';
import { sidekiqKeys, type SidekiqKeys } from './sidekiqKeys.js';
import { parseWork } from './sidekiqProcesses.js';
import { asPairs, asText, asTexts, failureOf } from './sidekiqReplies.js';

/** Bounds of the on-demand search: members scanned per set, jobs read per queue. */
export const taskSearchBounds = { perSet: 100_000, perQueue: 10_000, chunk: 1000 };

/** A jid is 24 hex digits; anything else that a glob could misread is refused before a SCAN. */
const safeId = /^[A-Za-z0-9_-]{1,64}$/;

interface Found {
  job: SidekiqJob;
  state: TaskState;
  source: string;
  worker?: string;
  startedAt?: number | null;
  score?: number | null;
}

/**
 * One job by jid. Sidekiq keeps no index by jid and no record of succeeded jobs, so this is a
 * bounded search, run only on demand (never by a poll), in the order a job moves: the running
 * threads' work hashes, the retry, dead and schedule sets (ZSCAN MATCH on the jid), then the
 * queue lists from their tail. `null` when none holds it (succeeded jobs leave no trace).
 */
export async function getSidekiqTask(ctx: ProbeContext, ns: ProbeNamespace, id: string): Promise<TaskDetail | null> {
  if (!safeId.test(id)) return null;
  const keys = sidekiqKeys(ns.prefix);
  const found = await findRunning(ctx, keys, id)
    ?? await findInSet(ctx, keys.retry, id, 'retrying', 'retry set')
    ?? await findInSet(ctx, keys.dead, id, 'dead', 'dead set')
    ?? await findInSet(ctx, keys.schedule, id, 'scheduled', 'schedule set')
    ?? await findInQueues(ctx, keys, id);
  return found ? detailOf(ctx, found, id) : null;
}

async function findRunning(ctx: ProbeContext, keys: SidekiqKeys, id: string): Promise<Found | null> {
  const [members] = await ctx.redis.batch([{ cmd: 'SMEMBERS', args: [keys.processes] }]);
  if (members instanceof Error) throw failureOf(members, `Sidekiq task ${id} (SMEMBERS ${keys.processes})`);
  const identities = (asTexts(members) ?? []).filter((p): p is string => Boolean(p));
  if (identities.length === 0) return null;
  const replies = await ctx.redis.batch(identities.flatMap((p) => [
    { cmd: 'HGETALL', args: [keys.work7(p)] }, { cmd: 'HGETALL', args: [keys.workers6(p)] },
  ]));
  for (const [i, reply] of replies.entries()) {
    for (const [, value] of asPairs(reply) ?? []) {
      const work = parseWork(value);
      if (work?.jid !== id) continue;
      const payload = payloadOf(value);
      const job = payload ? parseJob(payload) : null;
      if (job) return { job, state: 'running', source: 'work hash of a running process', worker: identities[Math.floor(i / 2)]!, startedAt: work.runAt };
    }
  }
  return null;
}

/** The job JSON inside a work entry (a string in the JSON, or an object). */
function payloadOf(value: string): string | null {
  try {
    const payload = (JSON.parse(value) as { payload?: unknown }).payload;
    return typeof payload === 'string' ? payload : payload ? JSON.stringify(payload) : null;
  } catch {
    return null;
  }
}

async function findInSet(ctx: ProbeContext, key: string, id: string, state: TaskState, source: string): Promise<Found | null> {
  let cursor = '0';
  let scanned = 0;
  do {
    const [reply] = await ctx.redis.batch([{ cmd: 'ZSCAN', args: [key, cursor, 'MATCH', `*${id}*`, 'COUNT', taskSearchBounds.chunk] }]);
    if (reply instanceof Error) {
      if (/WRONGTYPE/.test(reply.message)) return null;
      throw failureOf(reply, `Sidekiq task ${id} (ZSCAN ${key})`);
    }
    const [next, flat] = Array.isArray(reply) ? [asText(reply[0]) ?? '0', asTexts(reply[1]) ?? []] : ['0', []];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const job = parseJob(flat[i]);
      if (job?.jid === id) return { job, state, source, score: secondsToMs(flat[i + 1]) };
    }
    cursor = next;
    scanned += taskSearchBounds.chunk;
  } while (cursor !== '0' && scanned < taskSearchBounds.perSet);
  return null;
}

async function findInQueues(ctx: ProbeContext, keys: SidekiqKeys, id: string): Promise<Found | null> {
  const [members] = await ctx.redis.batch([{ cmd: 'SMEMBERS', args: [keys.queues] }]);
  const queues = (asTexts(members) ?? []).filter((q): q is string => Boolean(q)).sort();
  for (const q of queues) {
    for (let end = -1; -end <= taskSearchBounds.perQueue; end -= taskSearchBounds.chunk) {
      const [reply] = await ctx.redis.batch([{ cmd: 'LRANGE', args: [keys.queue(q), end - taskSearchBounds.chunk + 1, end] }]);
      const items = asTexts(reply) ?? [];
      for (const item of items) {
        if (!item?.includes(id)) continue;
        const job = parseJob(item);
        if (job?.jid === id) return { job, state: 'waiting', source: `queue list ${keys.queue(q)}` };
      }
      if (items.length < taskSearchBounds.chunk) break;
    }
  }
  return null;
}

function detailOf(ctx: ProbeContext, found: Found, id: string): TaskDetail {
  const { job } = found;
  const backtrace = decodeBacktrace(job.errorBacktrace);
  const hasError = job.errorClass !== null || job.errorMessage !== null;
  const sources = [found.source];
  if (found.score !== undefined && found.score !== null) {
    sources.push(`${found.state === 'dead' ? 'died' : 'due'} at ${new Date(found.score).toISOString()} (the set's score)`);
  }
  return {
    id, framework: 'sidekiq', connection: ctx.connectionId,
    queue: job.queue,
    name: job.name,
    description: job.name ? `${job.name}(${(job.args ?? []).map((a) => JSON.stringify(a)).join(', ')})` : null,
    state: found.state,
    args: job.args,
    kwargs: null,
    enqueuedAt: job.enqueuedAt,
    startedAt: found.startedAt ?? null,
    finishedAt: found.state === 'dead' ? found.score ?? job.failedAt : null,
    worker: found.worker ?? null,
    retries: job.retryCount ?? 0,
    result: null,
    error: hasError ? { type: job.errorClass, message: job.errorMessage, traceback: backtrace ? backtrace.join('\n') : null } : null,
    sources,
  };
}
