import type { ApiError } from '../../contract/errors.js';
import type { TaskListQuery, TaskListState, TaskSummary } from '../../contract/taskList.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext, ProbeTaskPage } from '../probe.js';
import { parseIsoTime, secondsToMs } from '../shared/time.js';
import { rqKeys } from './rqKeys.js';
import { decodeJobData, decodeTraceback, errorFromTraceback } from './rqPayloads.js';
import { asHash, asInt, asList, asText, asTexts, failureOf, type Slot } from './rqReplies.js';
import { stateOf } from './rqTask.js';
import { executionMemberPattern } from './rqVersion.js';

/** Entries a search reads at most, and per round trip. */
export const rqSearchLimit = 2000;
const chunk = 250;

/**
 * Where each state lives (README.md): the queue list (index 0 runs next), the scheduled registry
 * (score = due time, soonest first), and the started / finished / failed registries, whose scores
 * are expiry times: entries past expiry are left out exactly as the figures leave them out
 * (`(now +inf`), newest expiry first.
 */
type Source =
  | { kind: 'list'; key: string }
  | { kind: 'due'; key: string }
  | { kind: 'expiring'; key: string };

function sourceOf(queue: string, state: TaskListState): Source | null {
  switch (state) {
    case 'waiting': return { kind: 'list', key: rqKeys.queue(queue) };
    case 'scheduled': return { kind: 'due', key: rqKeys.scheduled(queue) };
    case 'running': return { kind: 'expiring', key: rqKeys.wip(queue) };
    case 'succeeded': return { kind: 'expiring', key: rqKeys.finished(queue) };
    case 'failed': return { kind: 'expiring', key: rqKeys.failed(queue) };
    default: return null;
  }
}

const why: Partial<Record<TaskListState, string>> = {
  dead: 'RQ keeps no dead set: a job that exhausts its retries is in the failed registry',
  retrying: 'RQ does not keep retries apart: a job waiting for its retry is in the queue or the scheduled registry',
  reserved: 'RQ 1.13 has no reserved state (1.15+ keeps popped jobs in an intermediate list for an instant)',
};

function countCommand(source: Source, nowS: number): RedisCommand {
  if (source.kind === 'list') return { cmd: 'LLEN', args: [source.key] };
  if (source.kind === 'due') return { cmd: 'ZCARD', args: [source.key] };
  return { cmd: 'ZCOUNT', args: [source.key, `(${nowS}`, '+inf'] };
}

function rangeCommand(source: Source, nowS: number, offset: number, count: number): RedisCommand {
  if (source.kind === 'list') return { cmd: 'LRANGE', args: [source.key, offset, offset + count - 1] };
  if (source.kind === 'due') return { cmd: 'ZRANGE', args: [source.key, offset, offset + count - 1, 'WITHSCORES'] };
  return { cmd: 'ZREVRANGEBYSCORE', args: [source.key, '+inf', `(${nowS}`, 'WITHSCORES', 'LIMIT', offset, count] };
}

interface Entry { id: string; score: number | null }

function entriesOf(source: Source, reply: Slot): Entry[] {
  const texts = asTexts(reply) ?? [];
  if (source.kind === 'list') return texts.map((id) => ({ id, score: null }));
  const out: Entry[] = [];
  for (let i = 0; i + 1 < texts.length; i += 2) {
    // RQ 2.x StartedJobRegistry members are `<job>:<execution>`.
    out.push({ id: texts[i]!.replace(executionMemberPattern, ''), score: Number(texts[i + 1]) });
  }
  return out;
}

const fields = ['status', 'origin', 'description', 'data', 'enqueued_at', 'started_at', 'ended_at', 'worker_name', 'exc_info'] as const;

function jobCommands(id: string, withResult: boolean): RedisCommand[] {
  return [
    { cmd: 'HMGET', args: [rqKeys.job(id), ...fields], binary: true },
    ...(withResult ? [{ cmd: 'XREVRANGE', args: [rqKeys.results(id), '+', '-', 'COUNT', 1], binary: true }] : []),
  ];
}

/** A list row from a job's hash (and its latest result entry for failed jobs). */
function summaryOf(ctx: ProbeContext, queue: string, entry: Entry, source: Source, hash: Slot, result: Slot | undefined): TaskSummary & { searchText: string } {
  const values = asList(hash) ?? [];
  const get = (name: (typeof fields)[number]) => {
    const v = values[fields.indexOf(name)];
    return Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v) : undefined;
  };
  const text = (name: (typeof fields)[number]) => get(name)?.toString('utf8') || null;
  const status = text('status');
  const call = decodeJobData(get('data'));
  const description = text('description');
  const entryFields = asHash(asList(asList(result ?? null)?.[0] ?? null)?.[1] ?? null);
  const traceback = entryFields?.has('exc_string') ? decodeTraceback(entryFields.get('exc_string')!, true)
    : get('exc_info')?.length ? decodeTraceback(get('exc_info')!, false) : null;
  const error = traceback && status !== 'finished' ? errorFromTraceback(traceback) : null;
  const missing = values.every((v) => v === null);
  const state = missing ? 'unknown' : stateOf(status, text('ended_at') !== null);
  const summary: TaskSummary = {
    id: entry.id, framework: 'rq', connection: ctx.connectionId, queue,
    name: call.name ?? description?.replace(/\(.*$/s, '') ?? null,
    state,
    description: description && description.length > 200 ? `${description.slice(0, 199)}…` : description,
    enqueuedAt: parseIsoTime(text('enqueued_at')),
    startedAt: parseIsoTime(text('started_at')),
    finishedAt: state === 'succeeded' || state === 'failed' ? parseIsoTime(text('ended_at')) : null,
    scheduledAt: source.kind === 'due' && entry.score !== null ? secondsToMs(entry.score) : null,
    worker: text('worker_name'),
    error: error ? [error.type, error.message].filter(Boolean).join(': ') || null : null,
    ...(missing ? { problem: 'the job hash is gone (expired or deleted); only its id is left in this list' } : {}),
  };
  const args = [call.args, call.kwargs].map((v) => (v === null ? '' : JSON.stringify(v))).join(' ');
  return { ...summary, searchText: `${entry.id}\n${summary.name ?? ''}\n${description ?? ''}\n${args}`.toLowerCase() };
}

async function summaries(ctx: ProbeContext, queue: string, source: Source, entries: Entry[], withResult: boolean) {
  if (entries.length === 0) return [];
  const replies = await ctx.redis.batch(entries.flatMap((e) => jobCommands(e.id, withResult)));
  const per = withResult ? 2 : 1;
  return entries.map((e, i) => summaryOf(ctx, queue, e, source, replies[i * per], withResult ? replies[i * per + 1] : undefined));
}

function strip(s: TaskSummary & { searchText?: string }): TaskSummary {
  const { searchText: _drop, ...rest } = s;
  return rest;
}

/** One page of an RQ queue's tasks in one state. */
export async function listRqTasks(ctx: ProbeContext, queues: readonly string[], query: TaskListQuery): Promise<ProbeTaskPage | null> {
  const { queue, state } = query;
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const source = sourceOf(queue, state);
  if (!source) throw { code: 'BAD_USAGE', detail: why[state] ?? `RQ keeps no ${state} list` } satisfies ApiError;
  const nowS = Math.floor(ctx.now / 1000);
  const [countReply, known] = await ctx.redis.batch([countCommand(source, nowS), { cmd: 'SISMEMBER', args: [rqKeys.queues, rqKeys.queue(queue)] }]);
  if (countReply instanceof Error) throw failureOf(countReply, `RQ ${state} of ${queue}`);
  const total = asInt(countReply) ?? 0;
  if (!queues.includes(queue) && asInt(known) !== 1 && total === 0) return null;
  const withResult = state === 'failed';
  const notes: string[] = [];
  if (source.kind === 'expiring') notes.push(`newest expiry first; entries past their expiry are left out, as RQ's cleanup would remove them`);
  if (source.kind === 'list') notes.push('in the order workers take them: the first runs next');
  if (source.kind === 'due') notes.push('soonest due first');
  const search = query.search?.trim().toLowerCase();
  if (!search) {
    const [rangeReply] = await ctx.redis.batch([rangeCommand(source, nowS, offset, limit)]);
    if (rangeReply instanceof Error) throw failureOf(rangeReply, `RQ ${state} of ${queue}`);
    const items = await summaries(ctx, queue, source, entriesOf(source, rangeReply), withResult);
    return { query, items: items.map(strip), total, offset, notes, takenAt: ctx.now };
  }
  // A bounded search from the start of the list, plus an exact id looked up directly.
  const matches: (TaskSummary & { searchText: string })[] = [];
  let read = 0;
  while (read < Math.min(total, rqSearchLimit)) {
    const count = Math.min(chunk, rqSearchLimit - read);
    const [rangeReply] = await ctx.redis.batch([rangeCommand(source, nowS, read, count)]);
    const entries = entriesOf(source, rangeReply);
    if (entries.length === 0) break;
    read += entries.length;
    for (const s of await summaries(ctx, queue, source, entries, withResult)) if (s.searchText.includes(search)) matches.push(s);
    if (entries.length < count) break;
  }
  const raw = query.search!.trim();
  if (!matches.some((m) => m.id === raw) && total > read) {
    const [member] = await ctx.redis.batch([source.kind === 'list' ? { cmd: 'LPOS', args: [source.key, raw] } : { cmd: 'ZSCORE', args: [source.key, raw] }]);
    const score = source.kind === 'list' ? null : Number(asText(member ?? null));
    const inState = member !== null && !(member instanceof Error) && (source.kind !== 'expiring' || (score !== null && score > nowS));
    if (inState) matches.unshift(...await summaries(ctx, queue, source, [{ id: raw, score }], withResult));
  }
  notes.push(read < total
    ? `searched ${read.toLocaleString('en')} of ${total.toLocaleString('en')} entries (the first ${rqSearchLimit.toLocaleString('en')}; an exact id is found anywhere)`
    : `searched all ${total.toLocaleString('en')} entries`);
  return {
    query, items: matches.slice(offset, offset + limit).map(strip),
    total: matches.length, offset, searched: { read, of: total }, notes, takenAt: ctx.now,
  };
}
