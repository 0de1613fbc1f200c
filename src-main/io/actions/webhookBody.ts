import type { ActionEvent } from '../../contract/actions.js';
import type { Alert, NotifyDecision, NotifyReason } from '../../contract/alerts.js';
import { alertRouteOf } from './alertRoute.js';

/** The plain JSON webhook body: the contract's Alert unchanged, plus what happened. */
export interface WebhookJsonBody {
  version: 1;
  event: ActionEvent;
  reason: NotifyReason;
  /** Epoch ms of the evaluation that decided the notification. */
  at: number;
  /** Unique per action run: a receiver may de-duplicate on it. */
  dispatchId: string;
  /** The window's route for the alert (`#/queue/prod/rq/default`). */
  route: string;
  alert: Alert;
}

export function jsonBodyOf(decision: NotifyDecision, event: ActionEvent, dispatchId: string): WebhookJsonBody {
  return { version: 1, event, reason: decision.reason, at: decision.at, dispatchId, route: alertRouteOf(decision.alert.labels), alert: decision.alert };
}

/** A Slack incoming-webhook body (also Mattermost, Rocket.Chat): `text` is the fallback for clients without blocks. */
export interface SlackBody {
  text: string;
  blocks: Array<
    | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
    | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  >;
}

const headings: Record<ActionEvent, string> = { start: 'FIRING', end: 'RESOLVED', repeat: 'STILL FIRING' };

/** The level is in words, never only an emoji colour. */
export function slackBodyOf(decision: NotifyDecision, event: ActionEvent): SlackBody {
  const { alert } = decision;
  const head = `[${headings[event]}] ${alert.level.toUpperCase()}`;
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    text: `${head}: ${alert.summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(head)}*\n${escapeSlack(alert.summary)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(`rule ${alert.ruleId} · ${labels}`) }] },
    ],
  };
}

/** Slack's three control characters in mrkdwn (its "Escaping text" rules). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
