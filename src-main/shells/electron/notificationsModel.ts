import type { AlertsView, NotifyDecision } from '../../contract/alerts.js';
import { alertRouteOf } from '../../io/actions/alertRoute.js';
import { incidentIdOf } from '../../io/actions/incident.js';
import { statusName } from './statusWords.js';

/** What one native notification shows and where its click leads; built without Electron. */
export interface NotificationContent {
  /** `<incident>/<start|end|repeat>`: one notification per incident edge, never two. */
  id: string;
  /** The alert key: macOS groups an incident's start and recovery (threadIdentifier). */
  groupId: string;
  title: string;
  body: string;
  /** The window route a click opens. */
  route: string;
  urgency: 'low' | 'normal' | 'critical';
  /** `never` keeps an emergency on screen (Windows), where `critical` urgency only sorts it higher. */
  timeoutType: 'default' | 'never';
}

/** macOS cuts notification content at 256 bytes; keep title and body well inside it. */
export const titleMaxLength = 80;
export const bodyMaxLength = 160;

/**
 * The notification for a decision, or `null` when nothing is to be shown (held back by a snooze,
 * an acknowledgement or a maintenance window). The level is in words in the title (colour never
 * the only signal), the summary's place and figures in the body.
 */
export function notificationOf(decision: NotifyDecision): NotificationContent | null {
  if (!decision.notify) return null;
  const { alert } = decision;
  const [name, detail] = splitSummary(alert.summary);
  const level = statusName(alert.level);
  const event = decision.reason === 'first' ? 'start' : decision.reason === 'resolved' ? 'end' : 'repeat';
  const title = decision.reason === 'first' ? `${level}: ${name}`
    : decision.reason === 'resolved' ? `Recovered (${level.toLowerCase()}): ${name}` : `Still firing (${level.toLowerCase()}): ${name}`;
  const isUrgent = alert.level === 'critical' || alert.level === 'emergency';
  return {
    id: `${incidentIdOf(decision)}/${event}${event === 'repeat' ? `/${decision.at}` : ''}`,
    groupId: alert.key,
    title: truncate(title, titleMaxLength),
    body: truncate(detail, bodyMaxLength),
    route: alertRouteOf(alert.labels),
    urgency: decision.reason === 'resolved' ? 'low' : isUrgent ? 'critical' : 'normal',
    timeoutType: decision.reason !== 'resolved' && alert.level === 'emergency' ? 'never' : 'default',
  };
}

/** `Backlog over 1000 — prod rq default: waiting 1523 > 1000` → the rule's name, then the rest. */
function splitSummary(summary: string): [string, string] {
  const at = summary.indexOf(' — ');
  return at < 0 ? [summary, ''] : [summary.slice(0, at), summary.slice(at + 3)];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Notification decisions read back from alert views, for a monitor reached through the Api
 * alone: the engine stamps `lastNotifiedAt` on every alert it decided to notify, so a new stamp
 * is a decision (`resolved` for a resolved alert; `first`, or `repeat` when this incident was
 * notified before). Stamps older than `since` (the app's start) were notified by an earlier run
 * and are not repeated after a restart. The alert pipeline's `onAlertDecision` gives the same
 * decisions directly, where it can be reached.
 */
export class NotifiedAlerts {
  readonly #seen = new Map<string, number>();

  constructor(readonly since: number) {}

  take(view: AlertsView): NotifyDecision[] {
    const out: NotifyDecision[] = [];
    const present = new Set<string>();
    for (const alert of view.alerts) {
      const at = alert.lastNotifiedAt;
      const decision = (reason: NotifyDecision['reason']): NotifyDecision => ({ at: at!, reason, notify: true, suppressedBy: null, alert });
      const incident = incidentIdOf(decision('first'));
      present.add(incident);
      if (at === null || at < this.since) continue;
      const previous = this.#seen.get(incident);
      if (previous !== undefined && previous >= at) continue;
      this.#seen.set(incident, at);
      out.push(decision(alert.state === 'resolved' ? 'resolved' : previous === undefined ? 'first' : 'repeat'));
    }
    for (const incident of this.#seen.keys()) if (!present.has(incident)) this.#seen.delete(incident);
    return out;
  }
}

/**
 * Windows toast activation (`Notification.handleActivation`, also on a cold start from Action
 * Center): the toast's `launch` argument carries the route. Only a well-formed window route is
 * accepted; anything else opens nothing.
 */
export const activationPrefix = 'task-status:open?route=';

export function toastXmlOf(content: NotificationContent): string {
  const launch = `${activationPrefix}${encodeURIComponent(content.route)}`;
  // A custom template replaces Electron's, so `timeoutType` is said here: `long` (~25 s) is the
  // most a toast without buttons stays; Action Center keeps it after that.
  const duration = content.timeoutType === 'never' ? ' duration="long"' : '';
  return `<toast launch="${xml(launch)}" activationType="foreground"${duration}><visual><binding template="ToastGeneric">`
    + `<text>${xml(content.title)}</text><text>${xml(content.body)}</text></binding></visual></toast>`;
}

export function routeOfActivation(args: string): string | null {
  if (!args.startsWith(activationPrefix)) return null;
  let route: string;
  try {
    route = decodeURIComponent(args.slice(activationPrefix.length));
  } catch {
    return null;
  }
  return isWindowRoute(route) ? route : null;
}

/** `#/`, `#/queue/…`, `#/task/…`, with every segment URI-escaped (what alertRouteOf writes). */
export function isWindowRoute(route: string): boolean {
  return /^#\/((queue|task)(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)*)?$/.test(route);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The route of an alert from its key (`backlog{connection="prod",framework="rq",queue="default"}`,
 * core/alerts/alertKey.ts): what a macOS notification delivered before a restart still knows of
 * its alert (its `groupId`). Anything that does not parse opens the dashboard.
 */
export function routeOfAlertKey(key: string): string {
  const inner = /^[^{]*\{(.*)\}$/.exec(key)?.[1];
  if (inner === undefined) return '#/';
  const labels: Record<string, string> = {};
  for (const m of inner.matchAll(/(\w+)=("(?:[^"\\]|\\.)*")/g)) {
    try {
      labels[m[1]!] = JSON.parse(m[2]!) as string;
    } catch {
      return '#/';
    }
  }
  return alertRouteOf(labels);
}
