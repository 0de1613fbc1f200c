import type { TaskError, Undecodable } from '../../contract/task.js';
import { Opaque, parsePickle, toPlain } from '../shared/pickle.js';
import { parseIsoTime } from '../shared/time.js';
import { isRecord, str } from './celeryEnvelope.js';
import { backendError, tracebackMessage } from './celeryExceptionText.js';

/** `celery-task-meta-<id>` as the Redis result backend writes it. */
export interface ResultMeta {
  /** SUCCESS, FAILURE, RETRY, STARTED, REVOKED (PENDING is never written). */
  status: string | null;
  /** The return value for SUCCESS; `{pid, hostname}` for STARTED; `null` for failures. */
  result: unknown;
  error: TaskError | null;
  /** `date_done`: naive UTC up to Celery 5.4, with an offset from 5.5. */
  doneAt: number | null;
  /** With `result_extended`: */
  name: string | null;
  args: unknown[] | Undecodable | null;
  kwargs: Record<string, unknown> | Undecodable | null;
  worker: string | null;
  retries: number | null;
  queue: string | null;
}

/**
 * Decodes a result value, JSON or pickle (`result_serializer='pickle'`: the whole meta is one
 * pickled dict). Fields are taken one by one, so an exception object that needs its class to be
 * rebuilt only loses its message, not the task's status. `null` when it is neither.
 */
export function decodeResultMeta(raw: Buffer): ResultMeta | Undecodable | null {
  let fields: Record<string, unknown>;
  if (raw[0] === 0x80) {
    const tree = parsePickle(raw);
    if (!tree.ok) return { undecodable: true, encoding: 'pickle', bytes: raw.length, reason: tree.reason };
    if (!(tree.value instanceof Map)) return null;
    fields = {};
    for (const [k, v] of tree.value) if (typeof k === 'string') fields[k] = v instanceof Opaque ? v : toPlain(v, 'pickle', raw.length);
  } else {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (!isRecord(parsed)) return null;
      fields = parsed;
    } catch {
      return null;
    }
  }
  const status = str(fields.status);
  const failed = status === 'FAILURE' || status === 'RETRY' || status === 'REVOKED';
  return {
    status,
    result: failed || fields.result instanceof Opaque ? null : fields.result ?? null,
    error: failed ? errorOf(fields.result, str(fields.traceback)) : null,
    doneAt: parseIsoTime(str(fields.date_done)),
    name: str(fields.name),
    args: Array.isArray(fields.args) || isRecord(fields.args) && fields.args.undecodable === true ? fields.args as ResultMeta['args'] : null,
    kwargs: isRecord(fields.kwargs) ? fields.kwargs as ResultMeta['kwargs'] : null,
    worker: str(fields.worker),
    retries: typeof fields.retries === 'number' ? fields.retries : null,
    queue: str(fields.queue),
  };
}

/**
 * JSON results hold `{exc_type, exc_message, exc_module}`; pickled ones the exception itself,
 * whose class is kept and whose message Python printed in the traceback's last line.
 */
function errorOf(result: unknown, traceback: string | null): TaskError {
  if (result instanceof Opaque) {
    // The traceback names a builtin by its bare name, anything else as `module.qualname`.
    const header = result.className.replace(/^builtins\./, '');
    return { type: result.className.split('.').pop() ?? null, message: traceback ? tracebackMessage(traceback, header, 'builtins') : null, traceback };
  }
  if (!isRecord(result)) return { type: null, message: null, traceback };
  return backendError(result, traceback);
}
