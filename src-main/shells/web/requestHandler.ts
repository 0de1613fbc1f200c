import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler as StaticFiles } from 'sirv';
import { httpEventsRoute } from '../../contract/endpoints.js';
import type { HostGuard } from './hostGuard.js';
import { sendError, sendResult, sendText } from './httpReply.js';
import { readJsonBody } from './jsonBody.js';
import type { MethodRoute } from './routes.js';
import { setSecurityHeaders } from './securityHeaders.js';
import type { EventStreams } from './sse.js';
import type { TokenDecision } from './tokenGuard.js';

export interface RequestHandlerDeps {
  hostGuard: HostGuard;
  tokenGuard: (req: IncomingMessage, url: URL) => TokenDecision;
  methods: Map<string, MethodRoute>;
  events: EventStreams;
  files: StaticFiles;
  log: (line: string) => void;
}

/** One request, in the order of README.md: headers, Host and Origin, token, then the route. */
export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { hostGuard, tokenGuard, methods, events, files, log } = deps;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostGuard.isOwnHost(req.headers.host)) return sendText(res, 421, 'unknown Host: this server answers only to its own address');
    if (!hostGuard.isOwnOrigin(req.headers.origin)) return sendText(res, 403, 'cross-origin request refused');
    const url = new URL(req.url ?? '/', 'http://task-status.invalid');
    const decision = tokenGuard(req, url);
    if (decision.kind === 'deny') {
      return sendText(res, 401, 'a token is required: open the address with ?token=<token>, or send Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer realm="task-status"',
      });
    }
    if (decision.kind === 'login') {
      res.setHeader('Set-Cookie', decision.setCookie);
      return sendText(res, 303, 'signed in', { Location: decision.location });
    }
    if (url.pathname === httpEventsRoute) {
      if (req.method !== 'GET') return sendError(res, 405, { code: 'BAD_USAGE', detail: `${httpEventsRoute} takes GET` }, { Allow: 'GET' });
      return events.handle(req, res);
    }
    const method = methods.get(url.pathname);
    if (method !== undefined) {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'BAD_USAGE', detail: `${url.pathname} takes POST` }, { Allow: 'POST' });
      // A JSON content type also makes any cross-origin call need a preflight this server never grants.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return sendError(res, 415, { code: 'BAD_USAGE', detail: 'send the arguments as application/json' });
      }
      const body = await readJsonBody(req);
      if (!body.ok) return sendError(res, body.status, { code: 'BAD_USAGE', detail: body.detail }, { Connection: 'close' });
      return sendResult(res, await method(body.value));
    }
    if (url.pathname.startsWith('/api/')) return sendError(res, 404, { code: 'BAD_USAGE', detail: `no such endpoint: ${url.pathname}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    files(req, res, () => sendText(res, 404, 'not found'));
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`task-status serve: ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  };
}
