import type { ApiError } from '../../contract/errors.js';
import type { TaskListQuery, TaskSummary } from '../../contract/taskList.js';
import type { TaskState } from '../../contract/task.js';
import type { ProbeContext, ProbeNamespace, ProbeTaskPage } from '../probe.js';
import { parseJob } from './sidekiqJob.js';
import { sidekiqKeys } from './sidekiqKeys.js';
import { asInt, asTexts } from './sidekiqReplies.js';

/** Entries of the shared sets (schedule, retry, dead) read at most to pick one queue's. */
export const sidekiqSetReadLimit = 2000;
const chunk = 500;

type SetState = 'scheduled' | 'retrying' | 'dead';
const setOf: Record<SetState, 'schedule' | 'retry' | 'dead'> = { scheduled: 'schedule', retrying: 'retry', dead: 'dead' };

/**
 * One page of a Sidekiq queue's jobs:
 * - waiting: the queue's list, LPUSHed and BRPOPed, so its tail runs next: paged by LRANGE from
 *   the tail, O(page);
 * - scheduled / retrying / dead: Sidekiq keeps these in three sets shared by every queue (scored
 *   by run time, or death time for dead), so one queue's entries are picked from the first 2,000
 *   of the set (soonest first; dead newest first), and the page says how many were read.
 */
export async function listSidekiqTasks(ctx: ProbeContext, ns: ProbeNamespace, queues: readonly string[], query: TaskListQuery): Promise<ProbeTaskPage | null> {
  if (!queues.includes(query.queue)) return null;
  const keys = sidekiqKeys(ns.prefix);
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const search = query.search?.trim().toLowerCase() || null;
  const row = (text: string | null, state: TaskState, score: number | null): TaskSummary & { searchText: string } => {
    const job = parseJob(text);
    const args = job?.args ? JSON.stringify(job.args) : '';
    const call = job?.name ? `${job.name}(${args.replace(/^\[|\]$/g, '')})` : null;
    return {
      id: job?.jid ?? '?', framework: 'sidekiq', connection: ctx.connectionId, queue: job?.queue ?? query.queue, name: job?.name ?? null, state,
      description: call && call.length > 200 ? `${call.slice(0, 199)}…` : call,
      enqueuedAt: job?.enqueuedAt ?? job?.createdAt ?? null, startedAt: null,
      finishedAt: state === 'dead' ? job?.failedAt ?? null : null,
      scheduledAt: state === 'scheduled' || state === 'retrying' ? (score === null ? null : Math.round(score * 1000)) : null,
      worker: null,
      error: job?.errorClass ? `${job.errorClass}: ${job.errorMessage ?? ''}` : null,
      ...(job ? {} : { problem: 'not a Sidekiq job (JSON expected)' }),
      searchText: `${job?.jid ?? ''}\n${call ?? ''}`.toLowerCase(),
    };
  };
  const strip = ({ searchText: _s, ...rest }: TaskSummary & { searchText: string }): TaskSummary => rest;

  if (query.state === 'waiting') {
    const key = keys.queue(query.queue);
    const [lengthReply] = await ctx.redis.batch([{ cmd: 'LLEN', args: [key] }]);
    const total = asInt(lengthReply) ?? 0;
    const read = async (from: number, count: number) => {
      const [reply] = await ctx.redis.batch([{ cmd: 'LRANGE', args: [key, -(from + count), -(from + 1)] }]);
      return (asTexts(reply) ?? []).reverse().map((t) => row(t, 'waiting', null));
    };
    const notes = ['in the order workers take them: the first runs next'];
    if (!search) return { query, items: (await read(offset, limit)).map(strip), total, offset, notes, takenAt: ctx.now };
    const rows = [];
    let done = 0;
    while (done < Math.min(total, sidekiqSetReadLimit)) {
      const got = await read(done, Math.min(chunk, sidekiqSetReadLimit - done));
      if (!got.length) break;
      rows.push(...got);
      done += got.length;
    }
    const matched = rows.filter((r) => r.searchText.includes(search));
    notes.push(done < total ? `searched ${done.toLocaleString('en')} of ${total.toLocaleString('en')} entries` : `searched all ${total.toLocaleString('en')} entries`);
    return { query, items: matched.slice(offset, offset + limit).map(strip), total: matched.length, offset, searched: { read: done, of: total }, notes, takenAt: ctx.now };
  }
  if (!(query.state in setOf)) throw { code: 'BAD_USAGE', detail: `Sidekiq keeps no ${query.state} list per queue` } satisfies ApiError;
  const state = query.state as SetState;
  const key = keys[setOf[state]];
  const [sizeReply] = await ctx.redis.batch([{ cmd: 'ZCARD', args: [key] }]);
  const size = asInt(sizeReply) ?? 0;
  const rows: (TaskSummary & { searchText: string })[] = [];
  let read = 0;
  while (read < Math.min(size, sidekiqSetReadLimit)) {
    const count = Math.min(chunk, sidekiqSetReadLimit - read);
    const [reply] = await ctx.redis.batch([{ cmd: state === 'dead' ? 'ZREVRANGE' : 'ZRANGE', args: [key, read, read + count - 1, 'WITHSCORES'] }]);
    const texts = asTexts(reply) ?? [];
    if (!texts.length) break;
    for (let i = 0; i + 1 < texts.length; i += 2) {
      const r = row(texts[i] ?? null, state, Number(texts[i + 1]));
      if (r.queue === query.queue && (!search || r.searchText.includes(search))) rows.push(r);
    }
    read += texts.length / 2;
  }
  const notes = [`${setOf[state]} is shared by every queue: this queue's entries among ${read < size ? `the first ${read.toLocaleString('en')} of ${size.toLocaleString('en')}` : `all ${size.toLocaleString('en')}`}, ${state === 'dead' ? 'newest death first' : 'soonest first'}`];
  const complete = read >= size;
  return {
    query, items: rows.slice(offset, offset + limit).map(strip), total: complete ? rows.length : null, offset,
    ...(search || !complete ? { searched: { read, of: size } } : {}), notes, takenAt: ctx.now,
  };
}
