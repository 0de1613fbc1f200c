import type { CeleryEventState } from './celeryEventState.js';
import { applyTaskEvent } from './celeryTaskEvent.js';
import { applyWorkerEvent } from './celeryWorkerEvent.js';

/**
 * Folds one pub/sub message of the `celeryev` exchange (Redis broker). kombu wraps every event
 * in its JSON envelope with a base64 body; workers batch task events and publish them under
 * `task.multi` as a JSON array (up to 24 per message), so the body may be one event or a list.
 * Updates the state in place (the fold must keep up with 20,000 events/s on one core) and never
 * throws: what does not decode is counted, not fatal.
 */
export function foldMessage(state: CeleryEventState, message: Buffer, receivedAt: number): void {
  noteArrival(state, receivedAt);
  let text: string;
  try {
    const envelope = JSON.parse(message.toString('utf8')) as { body?: unknown; 'content-type'?: unknown; properties?: { body_encoding?: unknown } };
    const contentType = envelope['content-type'];
    if (typeof envelope.body !== 'string' || (typeof contentType === 'string' && !contentType.includes('json'))) {
      return undecodable(state, `not a JSON kombu envelope (content-type ${String(contentType)})`);
    }
    text = envelope.properties?.body_encoding === 'base64' ? Buffer.from(envelope.body, 'base64').toString('utf8') : envelope.body;
  } catch (error) {
    return undecodable(state, `not JSON: ${(error as Error).message}`);
  }
  foldEventText(state, text, receivedAt);
}

/** Counts a message's arrival: listening began with the first one. */
export function noteArrival(state: CeleryEventState, receivedAt: number): void {
  state.heardSince ??= receivedAt;
  state.lastHeardAt = receivedAt;
  state.messageCount++;
}

/**
 * Folds the JSON body of one event message, whatever carried it (the Redis envelope above, or an
 * AMQP message's body on RabbitMQ): one event, or a `task.multi` array of them. The caller has
 * counted the message with {@link noteArrival}.
 */
export function foldEventText(state: CeleryEventState, text: string, receivedAt: number): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return undecodable(state, `not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(body)) {
    for (const event of body) applyEvent(state, event, receivedAt);
  } else {
    applyEvent(state, body, receivedAt);
  }
}

function applyEvent(state: CeleryEventState, event: unknown, receivedAt: number): void {
  if (typeof event !== 'object' || event === null) return undecodable(state, 'an event that is not an object');
  const type = (event as { type?: unknown }).type;
  if (typeof type !== 'string') return undecodable(state, 'an event without a type');
  if (type.startsWith('task-')) applyTaskEvent(state, type, event as Record<string, unknown>, receivedAt);
  else if (type.startsWith('worker-')) applyWorkerEvent(state, type, event as Record<string, unknown>, receivedAt);
}

export function undecodable(state: CeleryEventState, why: string): void {
  state.undecodableCount++;
  state.lastError = why;
}
