import type { ApiError } from '../../contract/errors.js';
import type { TaskListQuery, TaskListState, TaskSummary } from '../../contract/taskList.js';
import type { TaskState } from '../../contract/task.js';
import type { ProbeContext, ProbeTaskPage } from '../probe.js';
import type { CeleryDiscovery, CeleryQueue } from './celeryDiscovery.js';
import { envelopeOf, parseEnvelope, type KombuEnvelope } from './celeryEnvelope.js';
import type { CeleryEventState, TaskRecord } from './celeryEventState.js';
import { queueOf } from './celeryRoutes.js';
import { decodeTaskMessage } from './celeryTaskMessage.js';

/** Messages a search reads at most; `unacked` entries read at most (it is bounded by prefetch). */
export const celerySearchLimit = 2000;
const unackedLimit = 10_000;
const chunk = 250;

interface Row extends TaskSummary { searchText: string }

/**
 * One page of a Celery queue's tasks:
 * - waiting: the queue's lists as kombu consumes them (priority step 0 first, each list from its
 *   tail, where BRPOP takes the next message), paged by LRANGE over the lists' lengths;
 * - reserved / scheduled: `unacked` entries routed to the queue (ETA ahead: scheduled), read
 *   whole up to 10,000 entries (prefetch keeps it small);
 * - running / failed / retrying: the task events heard since listening began (`-E` workers).
 */
export async function listCeleryTasks(ctx: ProbeContext, discovery: CeleryDiscovery, events: CeleryEventState | null, query: TaskListQuery): Promise<ProbeTaskPage | null> {
  const queue = discovery.queues.find((q) => q.name === query.queue);
  if (!queue) return null;
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  const search = query.search?.trim().toLowerCase() || null;
  const page = (rows: Row[], total: number | null, notes: string[], searched?: { read: number; of: number | null }): ProbeTaskPage => {
    const matched = search ? rows.filter((r) => r.searchText.includes(search)) : rows;
    const items = (search ? matched.slice(offset, offset + limit) : rows).map(({ searchText: _s, ...rest }) => rest);
    return { query, items, total: search ? matched.length : total, offset, ...(searched ? { searched } : {}), notes, takenAt: ctx.now };
  };
  switch (query.state) {
    case 'waiting': return listWaiting(ctx, queue, query, offset, limit, search, page);
    case 'reserved': case 'scheduled': return listUnacked(ctx, discovery, queue.name, query.state, offset, limit, search, page);
    case 'running': case 'failed': case 'retrying': return listHeard(ctx, discovery, events, queue.name, query.state, offset, limit, search, page);
    default: throw { code: 'BAD_USAGE', detail: `Celery keeps no ${query.state} list${query.state === 'dead' ? ' (it has no dead-letter set on Redis)' : ''}` } satisfies ApiError;
  }
}

type Pager = (rows: Row[], total: number | null, notes: string[], searched?: { read: number; of: number | null }) => ProbeTaskPage;

function rowOfMessage(ctx: ProbeContext, queue: string, env: KombuEnvelope | null, state: TaskState): Row {
  if (!env) {
    return { id: '?', framework: 'celery', connection: ctx.connectionId, queue, name: null, state, description: null, enqueuedAt: null, startedAt: null,
      finishedAt: null, scheduledAt: null, worker: null, error: null, problem: 'not a kombu message', searchText: '' };
  }
  const m = decodeTaskMessage(env);
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const args = m.argsrepr ?? text(m.args);
  const kwargs = m.kwargsrepr ?? text(m.kwargs);
  const call = m.name ? `${m.name}(${[args.replace(/^[([]|[)\]]$/g, ''), kwargs === '{}' ? '' : kwargs].filter(Boolean).join(', ')})` : null;
  return {
    id: m.id ?? '?', framework: 'celery', connection: ctx.connectionId, queue, name: m.name,
    state: m.retries && m.retries > 0 ? 'retrying' : state,
    description: call && call.length > 200 ? `${call.slice(0, 199)}…` : call,
    enqueuedAt: null, startedAt: null, finishedAt: null, scheduledAt: m.etaAt, worker: null, error: null,
    ...(m.id ? {} : { problem: 'the message carries no task id' }),
    searchText: `${m.id ?? ''}\n${call ?? m.name ?? ''}\n${args}\n${kwargs}`.toLowerCase(),
  };
}

async function listWaiting(ctx: ProbeContext, queue: CeleryQueue, query: TaskListQuery, offset: number, limit: number, search: string | null, page: Pager): Promise<ProbeTaskPage> {
  const lengths = (await ctx.redis.batch(queue.keys.map((key) => ({ cmd: 'LLEN', args: [key] })))).map((r) => (typeof r === 'number' ? r : 0));
  const total = lengths.reduce((a, b) => a + b, 0);
  const notes = ['in the order workers take them: highest priority list first, each from its tail (BRPOP); the first runs next'];
  if (queue.keys.length > 1) notes.push(`the queue and its priority sub-queues: ${queue.keys.length} lists`);
  const read = async (from: number, count: number): Promise<Row[]> => {
    const commands: { cmd: string; args: (string | number)[] }[] = [];
    let start = from;
    let left = count;
    for (const [i, key] of queue.keys.entries()) {
      const length = lengths[i]!;
      if (left <= 0) break;
      if (start >= length) { start -= length; continue; }
      const take = Math.min(left, length - start);
      // Position p from the tail is index -(p + 1).
      commands.push({ cmd: 'LRANGE', args: [key, -(start + take), -(start + 1)] });
      left -= take;
      start = 0;
    }
    const replies = commands.length ? await ctx.redis.batch(commands) : [];
    return replies.flatMap((r) => (Array.isArray(r) ? [...r].reverse() : [])).map((item) => rowOfMessage(ctx, query.queue, parseEnvelope(String(item)), 'waiting'));
  };
  if (!search) return page(await read(offset, limit), total, notes);
  const rows: Row[] = [];
  let done = 0;
  while (done < Math.min(total, celerySearchLimit)) {
    const got = await read(done, Math.min(chunk, celerySearchLimit - done));
    if (got.length === 0) break;
    rows.push(...got);
    done += got.length;
  }
  notes.push(done < total ? `searched ${done.toLocaleString('en')} of ${total.toLocaleString('en')} messages (the next ${celerySearchLimit.toLocaleString('en')} to run)` : `searched all ${total.toLocaleString('en')} messages`);
  return page(rows, null, notes, { read: done, of: total });
}

async function listUnacked(ctx: ProbeContext, discovery: CeleryDiscovery, queue: string, state: 'reserved' | 'scheduled', offset: number, limit: number, search: string | null, page: Pager): Promise<ProbeTaskPage> {
  const key = `${discovery.prefix}unacked`;
  const [hlen] = await ctx.redis.batch([{ cmd: 'HLEN', args: [key] }]);
  const size = typeof hlen === 'number' ? hlen : 0;
  const flat: string[] = [];
  let cursor = '0';
  do {
    const [reply] = await ctx.redis.batch([{ cmd: 'HSCAN', args: [key, cursor, 'COUNT', 1000] }]);
    if (!Array.isArray(reply)) break;
    cursor = String(reply[0]);
    if (Array.isArray(reply[1])) flat.push(...reply[1].map(String));
  } while (cursor !== '0' && flat.length / 2 < unackedLimit);
  const rows: Row[] = [];
  for (let i = 1; i < flat.length; i += 2) {
    let entry: unknown;
    try { entry = JSON.parse(flat[i]!); } catch { continue; }
    const env = Array.isArray(entry) ? envelopeOf(entry[0]) : null;
    if (!env || !Array.isArray(entry)) continue;
    const routed = queueOf(discovery, typeof entry[1] === 'string' ? entry[1] : env.exchange, typeof entry[2] === 'string' ? entry[2] : env.routingKey);
    if (routed !== queue) continue;
    const row = rowOfMessage(ctx, queue, env, state);
    const isScheduled = row.scheduledAt !== null && row.scheduledAt > ctx.now;
    if (isScheduled === (state === 'scheduled')) rows.push(row);
  }
  rows.sort((a, b) => (a.scheduledAt ?? 0) - (b.scheduledAt ?? 0) || a.id.localeCompare(b.id));
  const notes = [`taken by workers and not yet acknowledged (kombu's unacked), ${state === 'scheduled' ? 'with an ETA still ahead, soonest first' : 'without an ETA ahead; a running task with acks_late is here too'}`];
  if (flat.length / 2 < size) notes.push(`read ${flat.length / 2} of ${size} unacked entries`);
  return search ? page(rows, null, notes, { read: flat.length / 2, of: size }) : page(rows.slice(offset, offset + limit), rows.length, notes);
}

const phaseOf: Record<'running' | 'failed' | 'retrying', TaskRecord['phase']> = { running: 'started', failed: 'failed', retrying: 'retried' };

function listHeard(ctx: ProbeContext, discovery: CeleryDiscovery, events: CeleryEventState | null, queue: string, state: 'running' | 'failed' | 'retrying', offset: number, limit: number, search: string | null, page: Pager): ProbeTaskPage {
  if (!events || events.heardSince === null) {
    return { ...page([], null, ['no Celery events heard yet: running, failed and retrying tasks come from task events (workers started with -E)']), total: null };
  }
  const single = discovery.queues.length === 1;
  const rows: Row[] = [];
  for (const t of events.tasks.values()) {
    if (t.phase !== phaseOf[state]) continue;
    if (t.queue !== queue && !(t.queue === null && single)) continue;
    const name = t.name;
    const kwargs = t.kwargs && t.kwargs !== '{}' ? t.kwargs : '';
    const call = name ? `${name}(${[t.args?.replace(/^[([]|[)\]]$/g, '') ?? '', kwargs].filter(Boolean).join(', ')})` : null;
    rows.push({
      id: t.id, framework: 'celery', connection: ctx.connectionId, queue, name, state: state === 'running' ? 'running' : state,
      description: call && call.length > 200 ? `${call.slice(0, 199)}…` : call,
      enqueuedAt: t.sentAt, startedAt: t.startedAt, finishedAt: state === 'failed' ? t.finishedAt : null, scheduledAt: t.etaAt,
      worker: t.worker, error: t.exception,
      searchText: `${t.id}\n${call ?? name ?? ''}\n${t.args ?? ''}\n${t.kwargs ?? ''}`.toLowerCase(),
    });
  }
  const at = (r: Row) => r.finishedAt ?? r.startedAt ?? r.enqueuedAt ?? 0;
  rows.sort((a, b) => at(b) - at(a) || a.id.localeCompare(b.id));
  const notes = [`from the task events heard since ${new Date(events.heardSince).toISOString()}, newest first`];
  if (!single) notes.push('a task whose task-sent event was not heard cannot be placed in a queue and is left out');
  return search ? page(rows, null, notes, { read: rows.length, of: rows.length }) : page(rows.slice(offset, offset + limit), rows.length, notes);
}

/** States Celery lists here, for messages. */
export const celeryListStates: readonly TaskListState[] = ['waiting', 'reserved', 'scheduled', 'running', 'failed', 'retrying'];
