import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, NotifyDecision } from '../../../src-main/contract/alerts.js';

export const t0 = Date.UTC(2026, 11, 4, 7, 0, 0);

/** A firing queue alert of the default backlog rule, as the engine would hand it over. */
export function backlogAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    key: 'backlog{connection="prod",framework="rq",namespace="rq",queue="default"}',
    ruleId: 'backlog',
    level: 'warning',
    state: 'firing',
    labels: { connection: 'prod', framework: 'rq', namespace: 'rq', queue: 'default' },
    value: 1523,
    threshold: 1000,
    summary: 'Backlog over 1000 — prod rq default: waiting 1523 > 1000',
    activeAt: t0,
    firedAt: t0,
    resolvedAt: null,
    lastNotifiedAt: t0,
    acknowledgedAt: null,
    keepFiringSince: null,
    evaluatedAt: t0,
    ...overrides,
  };
}

export function started(alert: Alert = backlogAlert()): NotifyDecision {
  return { at: alert.firedAt!, reason: 'first', notify: true, suppressedBy: null, alert };
}

export function ended(alert: Alert = backlogAlert(), resolvedAt = t0 + 300_000): NotifyDecision {
  const resolved = { ...alert, state: 'resolved' as const, resolvedAt, value: 850, evaluatedAt: resolvedAt,
    summary: alert.summary.replace('1523', '850') };
  return { at: resolvedAt, reason: 'resolved', notify: true, suppressedBy: null, alert: resolved };
}

export interface ReceivedCall {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A local HTTP receiver on a free loopback port: records every request with its JSON body and
 * answers with what `respond` says (200 by default; a promise holds the answer back).
 */
export async function startReceiver(respond: (call: ReceivedCall, res: ServerResponse) => void | Promise<void> = () => {}) {
  const calls: ReceivedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) as unknown : null };
      calls.push(call);
      void Promise.resolve(respond(call, res)).then(() => {
        if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    calls,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
