import type { Undecodable } from '../../contract/task.js';
import { parsePickle, toPlain } from '../shared/pickle.js';
import { parseIsoTime } from '../shared/time.js';
import { bodyBytes, isRecord, jsonBody, str, type KombuEnvelope } from './celeryEnvelope.js';

/** What a waiting task message says about its task. */
export interface TaskMessage {
  id: string | null;
  name: string | null;
  args: unknown[] | Undecodable | string | null;
  kwargs: Record<string, unknown> | Undecodable | string | null;
  /** Printable forms Celery put in the headers (protocol 2), for the description. */
  argsrepr: string | null;
  kwargsrepr: string | null;
  retries: number | null;
  etaAt: number | null;
}

/**
 * Decodes a task message, protocol 2 (metadata in headers, body `[args, kwargs, embed]`) or 1
 * (everything in a body object). A pickle body is read without executing it; what needs a class
 * falls back to the printable `argsrepr`/`kwargsrepr` headers, else is shown as undecodable.
 */
export function decodeTaskMessage(env: KombuEnvelope): TaskMessage {
  const h = env.headers;
  const body = decodeBody(env);
  if (typeof h.task === 'string') {
    const parts = Array.isArray(body) ? body : null;
    const argsrepr = str(h.argsrepr);
    const kwargsrepr = str(h.kwargsrepr);
    return {
      id: str(h.id), name: h.task, argsrepr, kwargsrepr,
      args: pick(parts?.[0], Array.isArray, body, argsrepr) as TaskMessage['args'],
      kwargs: pick(parts?.[1], isRecord, body, kwargsrepr) as TaskMessage['kwargs'],
      retries: typeof h.retries === 'number' ? h.retries : null,
      etaAt: parseIsoTime(str(h.eta)),
    };
  }
  const v1 = isRecord(body) ? body : {};
  return {
    id: str(v1.id), name: str(v1.task), argsrepr: null, kwargsrepr: null,
    args: pick(v1.args, Array.isArray, body, null) as TaskMessage['args'],
    kwargs: pick(v1.kwargs, isRecord, body, null) as TaskMessage['kwargs'],
    retries: typeof v1.retries === 'number' ? v1.retries : null,
    etaAt: parseIsoTime(str(v1.eta)),
  };
}

/** The decoded part; else Celery's printable form; else why it could not be shown. */
function pick(value: unknown, ok: (v: unknown) => boolean, body: unknown, repr: string | null): unknown {
  if (ok(value)) return value;
  if (repr !== null) return repr;
  if (isUndecodableLike(value)) return value;
  return isUndecodableLike(body) ? body : null;
}

function decodeBody(env: KombuEnvelope): unknown {
  const raw = bodyBytes(env);
  if (env.contentType.includes('json')) {
    const parsed = jsonBody(env);
    return parsed === undefined ? undecodable('json', raw.length, 'the body is not valid JSON') : parsed;
  }
  if (env.contentType === 'application/x-python-serialize') {
    const tree = parsePickle(raw);
    if (!tree.ok) return undecodable('pickle', raw.length, tree.reason);
    // Each part on its own: args that need a class must not hide plain kwargs.
    if (Array.isArray(tree.value)) return tree.value.map((part) => toPlain(part, 'pickle', raw.length));
    return toPlain(tree.value, 'pickle', raw.length);
  }
  return undecodable(env.contentType, raw.length, `a ${env.contentType} body is not decoded`);
}

function undecodable(encoding: string, bytes: number, reason: string): Undecodable {
  return { undecodable: true, encoding, bytes, reason };
}

function isUndecodableLike(v: unknown): boolean {
  return isRecord(v) && v.undecodable === true;
}
