import { parseIsoTime } from '../shared/time.js';

/**
 * kombu's Redis transport stores every message as a JSON envelope:
 * `{"body": <base64>, "content-type", "content-encoding", "headers": {...},
 *   "properties": {"delivery_info": {"exchange", "routing_key"}, "priority", "body_encoding", ...}}`.
 * Task protocol 2 (Celery ≥ 4 default) keeps the task's metadata in `headers` (`task`, `id`,
 * `eta`, `retries`, `argsrepr`, …) and the arguments in the body; protocol 1 has empty headers
 * and everything in a body object. Events use the same envelope with a JSON body.
 */
export interface KombuEnvelope {
  body: string;
  contentType: string;
  contentEncoding: string;
  bodyEncoding: string;
  headers: Record<string, unknown>;
  exchange: string | null;
  routingKey: string | null;
  priority: number | null;
}

/** Reads the envelope's fields; `null` when the text is not a kombu envelope. */
export function parseEnvelope(text: string): KombuEnvelope | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  return envelopeOf(raw);
}

export function envelopeOf(raw: unknown): KombuEnvelope | null {
  if (!isRecord(raw) || typeof raw.body !== 'string') return null;
  const properties = isRecord(raw.properties) ? raw.properties : {};
  const delivery = isRecord(properties.delivery_info) ? properties.delivery_info : {};
  return {
    body: raw.body,
    contentType: str(raw['content-type']) ?? 'application/json',
    contentEncoding: str(raw['content-encoding']) ?? 'utf-8',
    bodyEncoding: str(properties.body_encoding) ?? 'base64',
    headers: isRecord(raw.headers) ? raw.headers : {},
    exchange: str(delivery.exchange),
    routingKey: str(delivery.routing_key),
    priority: typeof properties.priority === 'number' ? properties.priority : null,
  };
}

/** The body's raw bytes (base64 on Redis; kombu may also store it as plain text). */
export function bodyBytes(env: KombuEnvelope): Buffer {
  return env.bodyEncoding === 'base64' ? Buffer.from(env.body, 'base64') : Buffer.from(env.body, 'utf8');
}

/** A JSON body, or `undefined` when it is not JSON or does not parse. */
export function jsonBody(env: KombuEnvelope): unknown {
  if (!env.contentType.includes('json')) return undefined;
  try {
    return JSON.parse(bodyBytes(env).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * What a poll needs of a task message: its id, ETA and `retries` (protocol 2 headers, else the
 * v1 body). A retry is a new message with the same id and `retries` one higher.
 */
export interface MessageHeadline {
  id: string | null;
  etaAt: number | null;
  retries: number | null;
}

export function headlineOf(env: KombuEnvelope): MessageHeadline {
  const h = env.headers;
  if (typeof h.task === 'string') return { id: str(h.id), etaAt: parseIsoTime(str(h.eta)), retries: num(h.retries) };
  const body = jsonBody(env);
  if (!isRecord(body)) return { id: str(h.id), etaAt: null, retries: null };
  return { id: str(body.id), etaAt: parseIsoTime(str(body.eta)), retries: num(body.retries) };
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
