import type { ApiError } from '../../contract/errors.js';
import type { TaskListQuery, TaskListState, TaskSummary } from '../../contract/taskList.js';
import type { TaskState } from '../../contract/task.js';
import type { RedisCommand } from '../../io/redis/redisReader.js';
import type { ProbeContext, ProbeNamespace, ProbeTaskPage } from '../probe.js';
import { bullmqKeys, delayedRunAt } from './bullmqKeys.js';
import { asInt, asTexts, failureOf, numberOf, type Slot } from './bullmqReplies.js';

export const bullmqSearchLimit = 2000;
const chunk = 250;

/**
 * A list or a set read in a direction: the segments of a state in the order BullMQ serves them.
 * `wait` and `paused` are LPUSHed and taken from the right (the tail runs next); `prioritized`
 * by lowest score; `delayed` soonest first; `active` newest first (a worker LMOVEs to its head);
 * `completed` and `failed` newest finish first.
 */
type Segment = { key: string; kind: 'tail' | 'head' | 'asc' | 'desc'; label: string };

function segmentsOf(prefix: string, queue: string, state: TaskListState): Segment[] | null {
  const k = bullmqKeys(prefix, queue);
  switch (state) {
    case 'waiting': return [{ key: k.wait, kind: 'tail', label: 'wait' }, { key: k.prioritized, kind: 'asc', label: 'prioritized' }, { key: k.paused, kind: 'tail', label: 'paused' }];
    case 'scheduled': return [{ key: k.delayed, kind: 'asc', label: 'delayed' }];
    case 'running': return [{ key: k.active, kind: 'head', label: 'active' }];
    case 'succeeded': return [{ key: k.completed, kind: 'desc', label: 'completed' }];
    case 'failed': return [{ key: k.failed, kind: 'desc', label: 'failed' }];
    default: return null;
  }
}

const isList = (s: Segment) => s.kind === 'tail' || s.kind === 'head';

function rangeOf(s: Segment, start: number, count: number): RedisCommand {
  if (s.kind === 'tail') return { cmd: 'LRANGE', args: [s.key, -(start + count), -(start + 1)] };
  if (s.kind === 'head') return { cmd: 'LRANGE', args: [s.key, start, start + count - 1] };
  return { cmd: s.kind === 'asc' ? 'ZRANGE' : 'ZREVRANGE', args: [s.key, start, start + count - 1, 'WITHSCORES'] };
}

interface Entry { id: string; score: number | null; segment: Segment }

function entriesOf(s: Segment, reply: Slot): Entry[] {
  const texts = (asTexts(reply) ?? []).map((t) => t ?? '');
  if (isList(s)) return (s.kind === 'tail' ? texts.reverse() : texts).filter((id) => !id.startsWith('0:')).map((id) => ({ id, score: null, segment: s }));
  const out: Entry[] = [];
  for (let i = 0; i + 1 < texts.length; i += 2) out.push({ id: texts[i]!, score: Number(texts[i + 1]), segment: s });
  return out;
}

/** Entries `from`..`from+count` across the segments, given their lengths: one round trip. */
async function readAcross(ctx: ProbeContext, segments: Segment[], lengths: number[], from: number, count: number): Promise<Entry[]> {
  const commands: RedisCommand[] = [];
  const used: Segment[] = [];
  let start = from;
  let left = count;
  for (const [i, s] of segments.entries()) {
    if (left <= 0) break;
    if (start >= lengths[i]!) { start -= lengths[i]!; continue; }
    const take = Math.min(left, lengths[i]! - start);
    commands.push(rangeOf(s, start, take));
    used.push(s);
    left -= take;
    start = 0;
  }
  const replies = commands.length ? await ctx.redis.batch(commands) : [];
  return replies.flatMap((r, i) => entriesOf(used[i]!, r));
}

const fields = ['name', 'data', 'timestamp', 'processedOn', 'finishedOn', 'failedReason', 'atm', 'attemptsMade', 'pb'] as const;

async function summaries(ctx: ProbeContext, prefix: string, queue: string, entries: Entry[]): Promise<(TaskSummary & { searchText: string })[]> {
  if (!entries.length) return [];
  const k = bullmqKeys(prefix, queue);
  const replies = await ctx.redis.batch(entries.map((e) => ({ cmd: 'HMGET', args: [k.job(e.id), ...fields] })));
  return entries.map((e, i) => {
    const values = (asTexts(replies[i]) ?? []) as (string | null)[];
    const get = (f: (typeof fields)[number]) => values[fields.indexOf(f)] ?? null;
    const made = numberOf(get('atm')) ?? numberOf(get('attemptsMade')) ?? 0;
    const state: TaskState = stateFor(e.segment.label, made);
    const data = get('data');
    const name = get('name');
    const description = name === null ? null : `${name}(${data && data.length > 150 ? `${data.slice(0, 149)}…` : data ?? ''})`;
    const missing = values.every((v) => v === null);
    return {
      id: e.id, framework: 'bullmq', connection: ctx.connectionId, queue, name, state, description,
      enqueuedAt: numberOf(get('timestamp')),
      startedAt: numberOf(get('processedOn')),
      finishedAt: state === 'succeeded' || state === 'failed' ? numberOf(get('finishedOn')) : null,
      scheduledAt: e.segment.label === 'delayed' && e.score !== null ? delayedRunAt(e.score) : null,
      worker: get('pb'),
      error: state === 'failed' || made > 0 ? get('failedReason') : null,
      ...(missing ? { problem: 'the job hash is gone (removed); only its id is left here' } : {}),
      searchText: `${e.id}\n${name ?? ''}\n${data ?? ''}`.toLowerCase(),
    };
  });
}

function stateFor(label: string, made: number): TaskState {
  switch (label) {
    case 'completed': return 'succeeded';
    case 'failed': return 'failed';
    case 'active': return 'running';
    case 'delayed': return made > 0 ? 'retrying' : 'scheduled';
    default: return made > 0 ? 'retrying' : 'waiting';
  }
}

/** One page of a BullMQ queue's jobs in one state (README.md: the keys and their order). */
export async function listBullmqTasks(ctx: ProbeContext, ns: ProbeNamespace, queues: readonly string[], query: TaskListQuery): Promise<ProbeTaskPage | null> {
  if (!queues.includes(query.queue)) return null;
  const segments = segmentsOf(ns.prefix, query.queue, query.state);
  if (!segments) throw { code: 'BAD_USAGE', detail: `BullMQ keeps no ${query.state} list${query.state === 'retrying' ? ': a job waiting for a retry is in delayed or wait' : ''}` } satisfies ApiError;
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const counts = await ctx.redis.batch(segments.map((s) => ({ cmd: isList(s) ? 'LLEN' : 'ZCARD', args: [s.key] })));
  const failed = counts.find((c) => c instanceof Error);
  if (failed instanceof Error) throw failureOf(failed, `BullMQ ${query.state} of ${query.queue}`);
  const lengths = counts.map((c) => asInt(c) ?? 0);
  const total = lengths.reduce((a, b) => a + b, 0);
  const notes = [query.state === 'waiting' ? 'in the order workers take them: wait (its tail first), then prioritized, then paused'
    : query.state === 'scheduled' ? 'soonest due first (retries waiting for their backoff included)'
      : query.state === 'running' ? 'most recently started first' : 'newest finish first; kept as removeOnComplete / removeOnFail allow'];
  const search = query.search?.trim().toLowerCase();
  if (!search) {
    const items = await summaries(ctx, ns.prefix, query.queue, await readAcross(ctx, segments, lengths, offset, limit));
    return { query, items: items.map(({ searchText: _s, ...rest }) => rest), total, offset, notes, takenAt: ctx.now };
  }
  const matches: (TaskSummary & { searchText: string })[] = [];
  let read = 0;
  while (read < Math.min(total, bullmqSearchLimit)) {
    const entries = await readAcross(ctx, segments, lengths, read, Math.min(chunk, bullmqSearchLimit - read));
    if (!entries.length) break;
    read += entries.length;
    for (const s of await summaries(ctx, ns.prefix, query.queue, entries)) if (s.searchText.includes(search)) matches.push(s);
  }
  notes.push(read < total ? `searched ${read.toLocaleString('en')} of ${total.toLocaleString('en')} entries` : `searched all ${total.toLocaleString('en')} entries`);
  return {
    query, items: matches.slice(offset, offset + limit).map(({ searchText: _s, ...rest }) => rest),
    total: matches.length, offset, searched: { read, of: total }, notes, takenAt: ctx.now,
  };
}

