import type { TaskDetail, TaskError, TaskState } from '../../contract/task.js';
import type { TaskRecord } from './celeryEventState.js';
import type { FoundMessage } from './celeryMessageSearch.js';
import type { ResultMeta } from './celeryResultMeta.js';
import { reprError } from './celeryExceptionText.js';
import { decodeTaskMessage } from './celeryTaskMessage.js';

export interface TaskSources {
  meta: ResultMeta | null;
  message: FoundMessage | null;
  event: TaskRecord | null;
}

/**
 * One task's detail from whatever knows it: the result backend (final states, and with
 * `result_extended` name, args, worker, queue), the message still in the broker, and the events
 * heard (times, worker, retries, exception). The most advanced state wins.
 */
export function combineTask(id: string, connection: string, now: number, s: TaskSources): TaskDetail | null {
  const { meta, event } = s;
  if (!meta && !s.message && !event) return null;
  const msg = s.message ? decodeTaskMessage(s.message.envelope) : null;
  const sources = [meta && 'result backend', s.message && `queue message (${s.message.where})`, event && 'events'].filter((x): x is string => !!x);
  const args = meta?.args ?? msg?.args ?? event?.args ?? null;
  const kwargs = meta?.kwargs ?? msg?.kwargs ?? event?.kwargs ?? null;
  const name = meta?.name ?? msg?.name ?? event?.name ?? null;
  const startedBy = meta?.status === 'STARTED' && isHostResult(meta.result) ? meta.result.hostname : null;
  const eventDone = event && (event.phase === 'succeeded' || event.phase === 'failed' || event.phase === 'revoked' || event.phase === 'rejected');
  return {
    id, framework: 'celery', connection,
    queue: meta?.queue ?? event?.queue ?? s.message?.queue ?? null,
    name,
    description: name === null ? null : describe(name, msg?.argsrepr ?? event?.args ?? null, msg?.kwargsrepr ?? event?.kwargs ?? null, args, kwargs),
    state: stateOf(s, msg?.etaAt ?? null, now),
    args, kwargs,
    enqueuedAt: event?.sentAt ?? null,
    startedAt: event?.startedAt ?? null,
    finishedAt: meta && isFinal(meta.status) ? meta.doneAt ?? event?.finishedAt ?? null : eventDone ? event.finishedAt : null,
    worker: meta?.worker ?? startedBy ?? event?.worker ?? null,
    retries: retriesOf(s, msg?.retries ?? null),
    result: meta?.status === 'SUCCESS' ? meta.result : event?.phase === 'succeeded' ? event.result : null,
    error: meta?.error ?? eventError(event),
    sources,
  };
}

function stateOf(s: TaskSources, etaAt: number | null, now: number): TaskState {
  const { meta, event, message } = s;
  const status = meta?.status ?? null;
  if (status === 'SUCCESS') return 'succeeded';
  // REVOKED is one of Celery's exception states (its result is a TaskRevokedError).
  if (status === 'FAILURE' || status === 'REVOKED') return 'failed';
  if (event?.phase === 'succeeded') return 'succeeded';
  if (event?.phase === 'failed' || event?.phase === 'revoked' || event?.phase === 'rejected') return 'failed';
  if (event?.phase === 'started' || status === 'STARTED') return 'running';
  const retried = status === 'RETRY' || (event !== null && event.retriedCount > 0);
  if (retried) return 'retrying';
  if (message) {
    if (etaAt !== null && etaAt > now) return 'scheduled';
    return message.where === 'unacked' ? 'reserved' : 'waiting';
  }
  if (event?.phase === 'received') return 'reserved';
  if (event?.phase === 'sent') return 'waiting';
  return 'unknown';
}

/**
 * Retries made so far: the latest attempt's `retries` from whichever source saw it. A RETRY
 * record carries the `retries` of the attempt that raised, so one more retry was made.
 */
function retriesOf({ meta, event }: TaskSources, fromMessage: number | null): number | null {
  const fromMeta = meta?.retries == null ? null : meta.retries + (meta.status === 'RETRY' ? 1 : 0);
  const known = [fromMeta, event?.attempt ?? null, fromMessage].filter((n): n is number => n !== null);
  return known.length ? Math.max(...known) : null;
}

function isFinal(status: string | null): boolean {
  return status === 'SUCCESS' || status === 'FAILURE' || status === 'REVOKED';
}

function isHostResult(v: unknown): v is { hostname: string } {
  return typeof v === 'object' && v !== null && typeof (v as { hostname?: unknown }).hostname === 'string';
}

/** From the events: the exception's repr and traceback (task-failed, task-retried). */
function eventError(event: TaskRecord | null): TaskError | null {
  if (!event) return null;
  if (event.phase === 'revoked' || event.phase === 'rejected') return { type: event.phase === 'revoked' ? 'TaskRevokedError' : 'Reject', message: event.phase, traceback: null };
  if (!event.exception) return null;
  return reprError(event.exception, event.traceback);
}

/** `tsapp.add(1, 2)` from Celery's printable forms, else from the decoded arguments. */
function describe(name: string, argsrepr: string | null, kwargsrepr: string | null, args: unknown, kwargs: unknown): string {
  const a = argsrepr !== null ? argsrepr.replace(/^[[(]([\s\S]*?),?[\])]$/, '$1')
    : Array.isArray(args) ? args.map((x) => JSON.stringify(x)).join(', ') : '…';
  let k = '';
  if (kwargsrepr !== null && kwargsrepr !== '{}') k = `**${kwargsrepr}`;
  else if (kwargsrepr === null && typeof kwargs === 'object' && kwargs !== null && !('undecodable' in kwargs)) {
    k = Object.entries(kwargs).map(([key, v]) => `${key}=${JSON.stringify(v)}`).join(', ');
  }
  return `${name}(${[a, k].filter(Boolean).join(', ')})`;
}
