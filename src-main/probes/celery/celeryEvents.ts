import type { ProbeEventSource, ProbeNamespace } from '../probe.js';
import { globEscape } from './celeryKeys.js';
import { foldMessage } from './celeryEventFold.js';
import { createEventState, type CeleryEventState } from './celeryEventState.js';
import { pruneEventState } from './celeryEventPrune.js';

/**
 * Channels Celery events travel on with a Redis broker. Celery's `celeryev` exchange becomes a
 * fanout on Redis, which kombu emulates with PUBLISH on `<keyprefix_fanout><exchange>/<routing
 * key>`; `keyprefix_fanout` is `/<db>.` by default (pub/sub is server-wide, so kombu scopes it by
 * database), and the broker `global_keyprefix` goes in front (live: `qlab:/8.celeryev/task.sent`).
 * An app with `fanout_prefix=False` publishes on `celeryev/<rk>`, without the database: those
 * channels are heard too, and are as shared between databases as they are for Celery itself.
 * With `fanout_patterns=False` the routing key is dropped (`/<db>.celeryev`).
 */
export function eventChannels(ns: ProbeNamespace): string[] {
  const p = globEscape(ns.prefix);
  return [`${p}/${ns.db}.celeryev/*`, `${p}/${ns.db}.celeryev`, `${p}celeryev/*`, `${p}celeryev`];
}

function belongs(ns: ProbeNamespace, channel: string): boolean {
  if (!channel.startsWith(ns.prefix)) return false;
  const rest = channel.slice(ns.prefix.length);
  const scoped = `/${ns.db}.celeryev`;
  return rest === scoped || rest.startsWith(`${scoped}/`) || rest === 'celeryev' || rest.startsWith('celeryev/');
}

export const celeryEvents: ProbeEventSource<CeleryEventState> = {
  patterns: eventChannels,
  initial: () => createEventState(),
  fold(state, ns, channel, message, receivedAt) {
    if (belongs(ns, channel)) foldMessage(state, message, receivedAt);
  },
  prune: pruneEventState,
};
