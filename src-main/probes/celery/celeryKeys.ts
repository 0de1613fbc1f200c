/**
 * Key names of kombu's Redis transport and Celery's Redis result backend (README.md in this
 * folder has the layout per version). Every broker key carries the broker `global_keyprefix`
 * verbatim; the result backend has its own prefix.
 */

/** kombu's default separator between a queue name and its priority step (`celery\x06\x163`). */
export const defaultSep = '\x06\x16';

/** kombu's default `priority_steps` beyond step 0 (which is the bare queue name). */
export const defaultPrioritySteps: readonly number[] = [3, 6, 9];

/** Marker of a kombu routing table: `<prefix>_kombu.binding.<exchange>`. */
export const bindingMarker = '_kombu.binding.';

/** Exchanges whose bindings are not task queues: remote control and event receivers. */
const controlExchanges = new Set(['celery.pidbox', 'reply.celery.pidbox', 'celeryev']);

export function isControlExchange(exchange: string): boolean {
  return controlExchanges.has(exchange);
}

/** Queues of worker mailboxes and event receivers, whatever exchange they are bound to. */
export function isControlQueue(queue: string): boolean {
  return queue.endsWith('.celery.pidbox') || queue.startsWith('celeryev.') || queue.endsWith('.reply.celery.pidbox');
}

/** A Redis glob that matches `text` literally. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** The list holding priority step `step` of a queue; step 0 is the queue's own key. */
export function priorityKey(prefix: string, queue: string, sep: string, step: number): string {
  return step === 0 ? `${prefix}${queue}` : `${prefix}${queue}${sep}${step}`;
}

/** A routing-table member: `routing_key <sep> pattern <sep> queue`. */
export interface Binding {
  routingKey: string;
  pattern: string;
  queue: string;
}

/** Splits a binding member; `null` when it does not have three parts. */
export function parseBinding(member: string, sep: string): Binding | null {
  const first = member.indexOf(sep);
  if (first < 0) return null;
  const second = member.indexOf(sep, first + sep.length);
  if (second < 0) return null;
  return {
    routingKey: member.slice(0, first),
    pattern: member.slice(first + sep.length, second),
    queue: member.slice(second + sep.length),
  };
}

/**
 * The separator a namespace uses. kombu writes bindings with its `sep` transport option, which
 * a monitor cannot read, so it is recovered from the members: the default when any member holds
 * it; otherwise from a member that repeats its queue name as routing key with an empty pattern
 * (`celery::celery`), the shape Celery gives every queue it declares.
 */
export function detectSep(members: readonly string[]): string {
  if (members.some((m) => m.includes(defaultSep))) return defaultSep;
  for (const m of members) {
    for (let nameLength = 1; 2 * nameLength < m.length; nameLength++) {
      const sepLength = (m.length - 2 * nameLength) / 2;
      if (!Number.isInteger(sepLength) || sepLength < 1) continue;
      const name = m.slice(0, nameLength);
      const sep = m.slice(nameLength, nameLength + sepLength);
      if (m === `${name}${sep}${sep}${name}`) return sep;
    }
  }
  return defaultSep;
}

/**
 * Candidate result-backend key prefixes for a configured `global_keyprefix`. Celery 5.3–5.4
 * always append `_` (`qlab:` → `qlab:_celery-task-meta-…`); 5.5+ append it only when the prefix
 * does not already end in one of `: _ - .` (celery PR #9080). A monitor cannot tell the version,
 * so a lookup tries both.
 */
export function resultPrefixes(configured: string | undefined): string[] {
  if (!configured) return [''];
  const always = `${configured}_`;
  return /[:_.-]$/.test(configured) ? [configured, always] : [always];
}

export function resultKey(prefix: string, taskId: string): string {
  return `${prefix}celery-task-meta-${taskId}`;
}
