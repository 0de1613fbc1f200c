import type { TaskDetail, TaskError, TaskState } from '../../contract/task.js';
import type { ProbeContext } from '../probe.js';
import { parseIsoTime } from '../shared/time.js';
import { rqKeys } from './rqKeys.js';
import { decodeJobData, decodeReturnValue, decodeTraceback, errorFromTraceback } from './rqPayloads.js';
import { asHash, asList, asText, failureOf } from './rqReplies.js';

/** Result entry types (rq/results.py `Result.Type`); 4 exists from 2.0. */
const resultType: Record<string, string> = { 1: 'successful', 2: 'failed', 3: 'stopped', 4: 'retried' };

/**
 * RQ's job status in the contract's words (README.md "Task states"):
 * queued → waiting; started → running; finished → succeeded; failed → failed;
 * stopped (stopped by a command, kept in the failed registry) → failed;
 * scheduled → scheduled; deferred (waits for its dependencies) → waiting;
 * queued or scheduled again after an attempt that ended (`ended_at` set) → retrying;
 * canceled (kept apart in the canceled registry, never run) → unknown, with the status in `sources`.
 */
export function stateOf(status: string | null, hasEnded: boolean): TaskState {
  switch (status) {
    case 'queued': return hasEnded ? 'retrying' : 'waiting';
    case 'scheduled': return hasEnded ? 'retrying' : 'scheduled';
    case 'deferred': return 'waiting';
    case 'started': return 'running';
    case 'finished': return 'succeeded';
    case 'failed': case 'stopped': return 'failed';
    default: return 'unknown';
  }
}

/** One job by id: its hash and its latest result entry, binary-safe, in one batch. */
export async function getRqTask(ctx: ProbeContext, id: string): Promise<TaskDetail | null> {
  const [hashReply, resultsReply] = await ctx.redis.batch([
    { cmd: 'HGETALL', args: [rqKeys.job(id)], binary: true },
    { cmd: 'XREVRANGE', args: [rqKeys.results(id), '+', '-', 'COUNT', 1], binary: true },
  ]);
  if (hashReply instanceof Error) {
    // A key of another type under rq:job: is not an RQ job: not known here, and nothing to throw about.
    if (/WRONGTYPE/.test(hashReply.message)) return null;
    throw failureOf(hashReply, `RQ job ${id}`);
  }
  const job = asHash(hashReply) ?? new Map<string, Buffer>();
  const entry = asList(asList(resultsReply)?.[0] ?? null);
  const result = entry ? asHash(entry[1]) : null;
  if (job.size === 0 && !result) return null;

  const text = (field: string) => { const v = job.get(field)?.toString('utf8'); return v ? v : null; };
  const status = text('status');
  const ended = text('ended_at');
  const call = decodeJobData(job.get('data'));
  const sources = [`job hash (status ${status ?? 'missing'})`];
  const type = result ? asText(result.get('type') ?? null) : null;
  if (result) sources.push(`results stream (latest entry: ${resultType[type ?? ''] ?? `type ${type}`})`);

  let value: unknown = null;
  let error: TaskError | null = null;
  if (result && type === '1' && result.has('return_value')) value = decodeReturnValue(result.get('return_value')!, true);
  else if (job.has('result') && status === 'finished') value = decodeReturnValue(job.get('result')!, false);
  const traceback = result?.has('exc_string') ? decodeTraceback(result.get('exc_string')!, true)
    : job.has('exc_info') ? decodeTraceback(job.get('exc_info')!, false) : null;
  if (traceback && (type !== '1' || status !== 'finished')) error = errorFromTraceback(traceback);

  const retries = text('number_of_retries');
  const state = job.size === 0 ? 'unknown' : stateOf(status, ended !== null);
  return {
    id, framework: 'rq', connection: ctx.connectionId,
    queue: text('origin'),
    name: call.name ?? text('description')?.replace(/\(.*$/s, '') ?? null,
    description: text('description'),
    state,
    args: call.args, kwargs: call.kwargs,
    enqueuedAt: parseIsoTime(text('enqueued_at')),
    startedAt: parseIsoTime(text('started_at')),
    // A job queued again keeps the previous attempt's ended_at until its next attempt ends.
    finishedAt: state === 'succeeded' || state === 'failed' ? parseIsoTime(ended) : null,
    worker: text('worker_name') ?? (result ? asText(result.get('worker_name') ?? null) || null : null),
    retries: retries !== null && /^\d+$/.test(retries) ? Number(retries) : null,
    result: value,
    error,
    sources,
    timeoutMs: timeoutOf(text('timeout')),
  };
}

/** RQ's job `timeout`, in seconds (queue default 180 s when the job set none); `-1` means no limit. */
function timeoutOf(text: string | null): number | null {
  if (text === null || !/^\d+(\.\d+)?$/.test(text)) return null;
  return Math.round(Number(text) * 1000);
}
